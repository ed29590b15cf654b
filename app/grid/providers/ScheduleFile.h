#pragma once

#include "base/Timestamp.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace greenpulse::grid {

// One value of a schedule: `gPerKwh` in `zone` from `fromNs` until `toNs` (0: until the zone's
// next row, or for ever).
struct ScheduleRow
{
    QString zone;
    core::TimeNs fromNs = 0;
    core::TimeNs toNs = 0;
    double gPerKwh = 0;
    int line = 0; // in the file, for messages
};

// The schedule CSV of `greenpulse-grid --provider file` (docs/footprint.md): one row per line,
//   zone,from,to,g_co2e_per_kwh
// `from` and `to` as ISO 8601 (no offset: UTC) or Unix epoch numbers (seconds, or ms/us/ns as
// the wire contract reads them); `to` may be empty. An optional header line starting with
// "zone", blank lines and lines starting with '#' are skipped. A bad line (wrong field count, a
// zone the wire contract refuses, an unreadable time, to not after from, a value outside
// 0-5000 g/kWh, two rows of a zone that overlap) makes the whole file refused, with every
// problem listed by line number: a schedule half read would publish a wrong value.
class ScheduleFile
{
public:
    bool load(const QString &path, QStringList *errors);
    bool parse(const QByteArray &text, QStringList *errors);

    QStringList zones() const { return m_rows.keys(); }
    bool hasZone(const QString &zone) const { return m_rows.contains(zone); }
    const QList<ScheduleRow> &rows(const QString &zone) const; // by `from`

    // The row in force at `nowNs`; nullptr: none.
    const ScheduleRow *inForce(const QString &zone, core::TimeNs nowNs) const;
    // The next instant after `nowNs` at which the zone's value changes (a row starts or the one
    // in force ends); nullopt: never.
    std::optional<core::TimeNs> nextChange(const QString &zone, core::TimeNs nowNs) const;

    static constexpr int kMaxErrorsListed = 20;

private:
    std::optional<ScheduleRow> parseLine(const QString &line, int number, QString *error) const;
    void checkOverlaps(QStringList *errors);

    QMap<QString, QList<ScheduleRow>> m_rows;
};

} // namespace greenpulse::grid
