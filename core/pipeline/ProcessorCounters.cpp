// Processor: what it reports (kept apart from the message path in Processor.cpp): the counters
// JSON that the processor prints on SIGHUP and in its exit summary, and the jobs JSON.

#include "influx/InfluxWriter.h"
#include "pipeline/Processor.h"

#include <QJsonArray>

namespace greenpulse::core {

QJsonObject Processor::countersJson() const
{
    QJsonObject o = m_rejections.toJson();
    const LedgerCounters &c = m_ledger.counters();
    o[QLatin1String("ledger")] = QJsonObject{
        {QStringLiteral("power_samples"), static_cast<qint64>(c.powerSamples)},
        {QStringLiteral("flow_samples"), static_cast<qint64>(c.flowSamples)},
        {QStringLiteral("control_messages"), static_cast<qint64>(c.controlMessages)},
        {QStringLiteral("out_of_order"), static_cast<qint64>(c.outOfOrder)},
        {QStringLiteral("from_future"), static_cast<qint64>(c.fromFuture)},
        {QStringLiteral("gaps"), static_cast<qint64>(c.gaps)},
        {QStringLiteral("flow_gaps"), static_cast<qint64>(c.flowGaps)},
        {QStringLiteral("missing_samples"), static_cast<qint64>(c.missingSamples)},
        {QStringLiteral("seq_restarts"), static_cast<qint64>(c.seqRestarts)},
        {QStringLiteral("counter_intervals"), static_cast<qint64>(c.counterIntervals)},
        {QStringLiteral("counter_restarts"), static_cast<qint64>(c.counterRestarts)},
        {QStringLiteral("counter_regressions"), static_cast<qint64>(c.counterRegressions)},
        {QStringLiteral("clock_skew"), static_cast<qint64>(c.clockSkew)},
        {QStringLiteral("too_many_ids"), static_cast<qint64>(c.tooManyIds)},
        {QStringLiteral("id_rate_limited"), static_cast<qint64>(c.idRateLimited)},
        {QStringLiteral("hosts_expired"), static_cast<qint64>(c.hostsExpired)},
        {QStringLiteral("jobs_forgotten"), static_cast<qint64>(c.jobsForgotten)},
        {QStringLiteral("gpu_energy_clamped"), static_cast<qint64>(c.gpuEnergyClamped)}};
    o[QLatin1String("hosts")] = Ledger::hostsToJson(m_ledger.hosts());
    o[QLatin1String("grid")] = m_ledger.gridJson(); // docs/footprint.md
    const MqttCounters m = m_mqtt.counters();
    o[QLatin1String("mqtt")] =
        QJsonObject{{QStringLiteral("received"), static_cast<qint64>(m.received)},
                    {QStringLiteral("reconnects"), static_cast<qint64>(m.reconnects)},
                    {QStringLiteral("dropped_publishes"), static_cast<qint64>(m.droppedPublishes)},
                    {QStringLiteral("takeovers"), static_cast<qint64>(m.takeovers)}};
    o[QLatin1String("state_save_failures")] = static_cast<qint64>(m_state.file().failures());
    if (m_state.file().isFailing()) {
        o[QLatin1String("state_save_error")] = m_state.file().lastError();
    }
    o[QLatin1String("journal_failures")] = static_cast<qint64>(m_state.journalFailures());
    o[QLatin1String("reconciled_ends")] = static_cast<qint64>(m_reconciledEnds);
    if (m_writer) {
        o[QLatin1String("influx")] = influxCountersJson();
    }
    return o;
}

QJsonObject Processor::jobsJson() const
{
    QJsonArray jobs;
    for (const JobSummary &job : m_ledger.jobs()) {
        jobs.append(Ledger::jobToJson(job));
    }
    return QJsonObject{{QStringLiteral("jobs"), jobs}};
}

QJsonObject Processor::influxCountersJson() const
{
    const InfluxStatus s = m_writer->status();
    return QJsonObject{{QStringLiteral("state"), QLatin1String(influxStateName(s.state))},
                       {QStringLiteral("points_written"), static_cast<qint64>(s.pointsWritten)},
                       {QStringLiteral("points_queued"), static_cast<qint64>(s.pointsQueued)},
                       {QStringLiteral("points_retried"), static_cast<qint64>(s.pointsRetried)},
                       {QStringLiteral("points_rejected"), static_cast<qint64>(s.pointsRejected)},
                       {QStringLiteral("points_dropped"), static_cast<qint64>(s.pointsDropped)},
                       {QStringLiteral("spool_bytes"), s.spoolBytes}};
}

} // namespace greenpulse::core
