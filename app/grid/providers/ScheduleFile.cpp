#include "ScheduleFile.h"

#include "IsoTime.h"
#include "ZoneCode.h"
#include "protocol/Messages.h"

#include <QFile>
#include <QLocale>
#include <algorithm>
#include <cmath>

namespace greenpulse::grid {

namespace {

constexpr int kFieldCount = 4;

// An epoch number (the wire contract's magnitudes) or an ISO 8601 instant.
std::optional<core::TimeNs> parseTime(const QString &field)
{
    bool isInteger = false;
    const qint64 integer = field.toLongLong(&isInteger);
    if (isInteger) {
        return core::normalizeTimestamp(integer);
    }
    bool isNumber = false;
    const double number = QLocale::c().toDouble(field, &isNumber);
    if (isNumber) {
        return core::normalizeTimestamp(number);
    }
    return parseIsoTime(field);
}

const QList<ScheduleRow> kNoRows;

// The optional header: a first field that is the word "zone" (a zone "zone1" is a row).
bool isHeader(const QString &line)
{
    return line.section(QLatin1Char(','), 0, 0)
               .trimmed()
               .compare(QLatin1String("zone"), Qt::CaseInsensitive) == 0;
}

} // namespace

bool ScheduleFile::load(const QString &path, QStringList *errors)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        errors->append(QStringLiteral("%1: %2").arg(path, file.errorString()));
        return false;
    }
    return parse(file.readAll(), errors);
}

bool ScheduleFile::parse(const QByteArray &text, QStringList *errors)
{
    m_rows.clear();
    QStringList problems; // this file's only, whatever *errors held already
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = QString::fromUtf8(lines[i]).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) ||
            (m_rows.isEmpty() && problems.isEmpty() && isHeader(line))) {
            continue;
        }
        QString error;
        if (const auto row = parseLine(line, i + 1, &error)) {
            m_rows[row->zone].append(*row);
        } else if (problems.size() < kMaxErrorsListed) {
            problems.append(QStringLiteral("line %1: %2").arg(i + 1).arg(error));
        }
    }
    for (QList<ScheduleRow> &rows : m_rows) {
        std::sort(rows.begin(), rows.end(),
                  [](const ScheduleRow &a, const ScheduleRow &b) { return a.fromNs < b.fromNs; });
    }
    checkOverlaps(&problems);
    if (problems.isEmpty() && m_rows.isEmpty()) {
        problems.append(QStringLiteral("no rows (zone,from,to,g_co2e_per_kwh)"));
    }
    if (!problems.isEmpty()) {
        m_rows.clear();
        errors->append(problems);
        return false;
    }
    return true;
}

std::optional<ScheduleRow> ScheduleFile::parseLine(const QString &line, int number,
                                                   QString *error) const
{
    QStringList fields = line.split(QLatin1Char(','));
    if (fields.size() != kFieldCount) {
        *error =
            QStringLiteral("%1 fields, not 4 (zone,from,to,g_co2e_per_kwh)").arg(fields.size());
        return std::nullopt;
    }
    for (QString &field : fields) {
        field = field.trimmed();
    }
    ScheduleRow row;
    row.line = number;
    row.zone = fields[0];
    if (const auto problem = zoneProblem(row.zone)) {
        *error = QStringLiteral("zone \"%1\": %2").arg(row.zone.left(64), *problem);
        return std::nullopt;
    }
    const auto from = parseTime(fields[1]);
    if (!from) {
        *error = QStringLiteral("\"from\" \"%1\" is neither ISO 8601 nor an epoch time")
                     .arg(fields[1].left(64));
        return std::nullopt;
    }
    row.fromNs = *from;
    if (!fields[2].isEmpty()) {
        const auto to = parseTime(fields[2]);
        if (!to) {
            *error = QStringLiteral("\"to\" \"%1\" is neither ISO 8601 nor an epoch time")
                         .arg(fields[2].left(64));
            return std::nullopt;
        }
        if (*to <= row.fromNs) {
            *error = QStringLiteral("\"to\" is not after \"from\"");
            return std::nullopt;
        }
        row.toNs = *to;
    }
    bool ok = false;
    row.gPerKwh = QLocale::c().toDouble(fields[3], &ok);
    if (!ok || !std::isfinite(row.gPerKwh) || row.gPerKwh < 0 ||
        row.gPerKwh > core::kMaxCarbonIntensity) {
        *error = QStringLiteral("g_co2e_per_kwh \"%1\" is not a number from 0 to %2")
                     .arg(fields[3].left(64))
                     .arg(core::kMaxCarbonIntensity);
        return std::nullopt;
    }
    return row;
}

void ScheduleFile::checkOverlaps(QStringList *errors)
{
    for (auto it = m_rows.cbegin(); it != m_rows.cend(); ++it) {
        const QList<ScheduleRow> &rows = it.value();
        for (int i = 0; i + 1 < rows.size(); ++i) {
            const ScheduleRow &a = rows[i];
            const ScheduleRow &b = rows[i + 1];
            if (a.fromNs == b.fromNs || (a.toNs != 0 && a.toNs > b.fromNs)) {
                if (errors->size() < kMaxErrorsListed) {
                    errors->append(QStringLiteral("line %1: zone %2 overlaps line %3")
                                       .arg(b.line)
                                       .arg(it.key())
                                       .arg(a.line));
                }
            }
        }
    }
}

const QList<ScheduleRow> &ScheduleFile::rows(const QString &zone) const
{
    const auto it = m_rows.constFind(zone);
    return it == m_rows.cend() ? kNoRows : it.value();
}

const ScheduleRow *ScheduleFile::inForce(const QString &zone, core::TimeNs nowNs) const
{
    const QList<ScheduleRow> &list = rows(zone);
    for (int i = 0; i < list.size(); ++i) {
        const ScheduleRow &row = list[i];
        const core::TimeNs end =
            row.toNs != 0 ? row.toNs : (i + 1 < list.size() ? list[i + 1].fromNs : 0);
        if (row.fromNs <= nowNs && (end == 0 || nowNs < end)) {
            return &row;
        }
    }
    return nullptr;
}

std::optional<core::TimeNs> ScheduleFile::nextChange(const QString &zone, core::TimeNs nowNs) const
{
    std::optional<core::TimeNs> next;
    auto consider = [&](core::TimeNs t) {
        if (t > nowNs && (!next || t < *next)) {
            next = t;
        }
    };
    for (const ScheduleRow &row : rows(zone)) {
        consider(row.fromNs);
        if (row.toNs != 0) {
            consider(row.toNs);
        }
    }
    return next;
}

} // namespace greenpulse::grid
