#pragma once

#include "IntensityProvider.h"
#include "ScheduleFile.h"
#include "base/Clock.h"

#include <QHash>
#include <QStringList>
#include <QTimer>

namespace greenpulse::grid {

// --provider file: the values of a schedule (ScheduleFile). On start, the value in force now in
// each zone, with its row's `from` as the timestamp; then each next one when it takes over, on a
// timer set to that boundary (no polling). When a zone's last row ends, its last value stays in
// force on the wire (a retained value holds until the next one): said once in the log.
class FileProvider : public IntensityProvider
{
    Q_OBJECT
public:
    // `zones`: those to publish, each in the schedule (GridSettings checks); empty: all of them.
    FileProvider(ScheduleFile schedule, QStringList zones, const core::Clock &clock,
                 GridCounters &counters, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("file"); }
    void start() override;
    void stop() override;

    static constexpr const char *kSource = "file";
    // A timer longer than this is cut and set again (the clock may be stepped meanwhile).
    static constexpr qint64 kMaxTimerMs = 3600LL * 1000;

private:
    void evaluate();

    ScheduleFile m_schedule;
    QStringList m_zones;
    const core::Clock &m_clock;
    QTimer m_timer;
    QHash<QString, int> m_emittedLine; // zone -> the line of the row last emitted
    QHash<QString, bool> m_endLogged;
};

} // namespace greenpulse::grid
