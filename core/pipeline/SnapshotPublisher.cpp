#include "pipeline/SnapshotPublisher.h"

#include "accounting/Ledger.h"
#include "influx/InfluxWriter.h"
#include "pipeline/DailyTotals.h"
#include "pipeline/ProcessorState.h"
#include "pipeline/ProcessorTiming_p.h"
#include "pipeline/RejectionCounter.h"

#include <QMutexLocker>

namespace greenpulse::core {

SnapshotPublisher::SnapshotPublisher() : m_latest(std::make_shared<ProcessorSnapshot>()) {}

double SnapshotPublisher::rate()
{
    const qint64 elapsed = m_rateTimer.isValid() ? m_rateTimer.elapsed() : 0;
    if (elapsed >= 1000) {
        m_rate = static_cast<double>(m_rateCount) * 1000.0 / static_cast<double>(elapsed);
        m_rateCount = 0;
        m_rateTimer.restart();
    }
    return m_rate;
}

void SnapshotPublisher::publish(const Sources &s, TimeNs now)
{
    auto snap = std::make_shared<ProcessorSnapshot>();
    snap->takenNs = now;
    snap->jobs = s.ledger.jobs();
    snap->hosts = s.ledger.hosts();
    snap->mqttState = s.mqtt.state();
    snap->mqttError = s.mqtt.lastError();
    const MqttCounters mqttCounters = s.mqtt.counters();
    snap->droppedPublishes = mqttCounters.droppedPublishes;
    snap->mqttTakeovers = mqttCounters.takeovers;
    snap->mqttTakeover = s.mqtt.takeoverWarning();
    snap->mqttClientId = s.mqtt.clientId();
    if (s.writer) {
        snap->influx = s.writer->status();
    }
    snap->accepted = s.rejections.accepted();
    snap->rejected = s.rejections.totalRejected();
    snap->rejectionsByReason = s.rejections.toJson().value(QLatin1String("by_reason")).toObject();
    snap->messagesPerSecond = rate();
    // Hosts not heard from within the bound count for no "power now" (our clock: a host whose
    // clock is off is judged by when its samples arrive, not by their timestamps).
    snap->staleAfterSeconds = s.staleAfterSeconds;
    const TimeNs staleNs = s.staleAfterSeconds > 0 ? static_cast<TimeNs>(s.staleAfterSeconds * 1e9)
                                                   : processortiming::kHostStaleNs;
    for (const HostSummary &h : snap->hosts) {
        if (h.hasPower && now - h.lastHeardNs <= staleNs) {
            snap->powerNowWatts += h.watts;
        }
    }
    if (snap->mqttState == ConnectionState::Connected) {
        m_lastConnectedNs = now;
        m_lastConnectedWatts = snap->powerNowWatts;
    } else if (m_lastConnectedNs > 0) {
        snap->powerNowWatts = m_lastConnectedWatts; // frozen: the last value seen, not a decay
    }
    snap->mqttLastConnectedNs = m_lastConnectedNs;
    snap->today = s.days.day(now);
    snap->config = s.ledger.config();
    snap->zones = s.ledger.zones();
    snap->grid = s.ledger.gridCounters();
    snap->stateSaveError = s.state.file().lastError();
    snap->stateSaveFailures = s.state.file().failures();
    snap->journalFailures = s.state.journalFailures();
    snap->reconciledEnds = s.reconciledEnds;
    snap->gpuEnergyClamped = s.ledger.counters().gpuEnergyClamped;
    QMutexLocker lock(&m_mutex);
    m_latest = std::move(snap);
}

std::shared_ptr<const ProcessorSnapshot> SnapshotPublisher::latest() const
{
    QMutexLocker lock(&m_mutex);
    return m_latest;
}

} // namespace greenpulse::core
