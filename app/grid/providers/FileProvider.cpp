#include "FileProvider.h"

#include "GridLogging.h"
#include "IsoTime.h"

#include <algorithm>

namespace greenpulse::grid {

FileProvider::FileProvider(ScheduleFile schedule, QStringList zones, const core::Clock &clock,
                           GridCounters &counters, QObject *parent)
    : IntensityProvider(counters, parent), m_schedule(std::move(schedule)),
      m_zones(zones.isEmpty() ? m_schedule.zones() : std::move(zones)), m_clock(clock)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &FileProvider::evaluate);
}

void FileProvider::start()
{
    const core::TimeNs now = m_clock.nowNs();
    for (const QString &zone : std::as_const(m_zones)) {
        if (!m_schedule.inForce(zone, now) && !m_schedule.nextChange(zone, now)) {
            qCWarning(lcGrid).noquote()
                << QStringLiteral("file %1: every row of the schedule has ended: nothing to "
                                  "publish")
                       .arg(zone);
        }
    }
    evaluate();
}

void FileProvider::stop()
{
    m_timer.stop();
}

void FileProvider::evaluate()
{
    const core::TimeNs now = m_clock.nowNs();
    std::optional<core::TimeNs> next;
    for (const QString &zone : std::as_const(m_zones)) {
        const ScheduleRow *row = m_schedule.inForce(zone, now);
        if (row && m_emittedLine.value(zone) != row->line) {
            m_emittedLine.insert(zone, row->line);
            m_endLogged.remove(zone);
            core::GridIntensity intensity;
            intensity.zone = zone;
            intensity.gCo2ePerKwh = row->gPerKwh;
            intensity.timestampNs = row->fromNs;
            intensity.source = QLatin1String(kSource);
            emit reading(intensity);
        } else if (!row && m_emittedLine.contains(zone) && !m_endLogged.value(zone)) {
            m_endLogged.insert(zone, true);
            qCWarning(lcGrid).noquote()
                << QStringLiteral("file %1: the schedule has no value from %2 on; the last one "
                                  "stays in force")
                       .arg(zone, isoTime(now));
        }
        if (const auto change = m_schedule.nextChange(zone, now)) {
            next = next ? std::min(*next, *change) : *change;
        }
    }
    if (!next) {
        qCInfo(lcGrid) << "file: no further change in the schedule";
        return;
    }
    const qint64 ms = (*next - now + 999'999) / 1'000'000; // never early: round up
    m_timer.start(static_cast<int>(std::clamp<qint64>(ms, 1, kMaxTimerMs)));
}

} // namespace greenpulse::grid
