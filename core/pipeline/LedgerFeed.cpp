#include "pipeline/LedgerFeed.h"

#include "accounting/Ledger.h"

#include <QJsonArray>

namespace greenpulse::core::ledgerfeed {

namespace {

QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

QJsonValue nsOrNull(TimeNs ns)
{
    return ns == 0 ? QJsonValue() : QJsonValue(static_cast<qint64>(ns));
}

// Reads the fields of one object, remembering the first problem.
class Reader
{
public:
    explicit Reader(const QJsonObject &o) : m_o(o) {}

    double number(const char *name, bool required = true)
    {
        const QJsonValue v = m_o.value(key(name));
        if (v.isDouble()) {
            return v.toDouble();
        }
        if (required || !(v.isNull() || v.isUndefined())) {
            fail(name, "a number");
        }
        return 0;
    }
    std::optional<double> optionalNumber(const char *name)
    {
        const QJsonValue v = m_o.value(key(name));
        if (v.isNull() || v.isUndefined()) {
            return std::nullopt;
        }
        return number(name);
    }
    qint64 integer(const char *name, bool required = true)
    {
        const QJsonValue v = m_o.value(key(name));
        if (v.isDouble() && v.toDouble() >= 0) {
            return v.toInteger();
        }
        if (required || !(v.isNull() || v.isUndefined())) {
            fail(name, "a whole number >= 0");
        }
        return 0;
    }
    QString text(const char *name)
    {
        const QJsonValue v = m_o.value(key(name));
        if (!v.isString() && !v.isNull() && !v.isUndefined()) {
            fail(name, "a string or null");
        }
        return v.toString();
    }
    bool flag(const char *name)
    {
        const QJsonValue v = m_o.value(key(name));
        if (!v.isBool() && !v.isUndefined()) {
            fail(name, "true or false");
        }
        return v.toBool();
    }
    QStringList strings(const char *name) { return stringsOf(m_o.value(key(name)), name); }
    QStringList stringsOf(const QJsonValue &v, const char *name)
    {
        QStringList out;
        if (v.isUndefined() || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            fail(name, "an array of strings");
            return out;
        }
        for (const QJsonValue &item : v.toArray()) {
            if (!item.isString()) {
                fail(name, "an array of strings");
                return out;
            }
            out << item.toString();
        }
        return out;
    }
    QJsonObject object(const char *name)
    {
        const QJsonValue v = m_o.value(key(name));
        if (!v.isObject() && !v.isUndefined() && !v.isNull()) {
            fail(name, "an object");
        }
        return v.toObject();
    }
    bool ok(QString *error) const
    {
        if (!m_problem.isEmpty() && error) {
            *error = m_problem;
        }
        return m_problem.isEmpty();
    }

private:
    void fail(const char *name, const char *what)
    {
        if (m_problem.isEmpty()) {
            m_problem = QStringLiteral("\"%1\" must be %2").arg(key(name), key(what));
        }
    }

    const QJsonObject m_o; // a shared copy: readers are built from temporaries
    QString m_problem;
};

QJsonObject configToJson(const LedgerConfig &c)
{
    return {{QStringLiteral("max_gap_s"), c.maxGapSeconds},
            {QStringLiteral("pue"), c.pue},
            {QStringLiteral("carbon_kg_per_kwh"), c.carbonKgPerKwh},
            {QStringLiteral("max_clock_ahead_s"), c.maxClockAheadSeconds},
            {QStringLiteral("max_clock_behind_s"), c.maxClockBehindSeconds},
            {QStringLiteral("max_hosts"), c.maxHosts},
            {QStringLiteral("max_jobs"), c.maxJobs},
            {QStringLiteral("max_new_ids_per_minute"), c.maxNewIdsPerMinute},
            {QStringLiteral("host_expiry_s"), c.hostExpirySeconds}};
}

void configFromJson(const QJsonObject &o, LedgerConfig *c, QString *problem)
{
    Reader r(o);
    c->maxGapSeconds = r.number("max_gap_s");
    c->pue = r.number("pue");
    c->carbonKgPerKwh = r.number("carbon_kg_per_kwh");
    c->maxClockAheadSeconds = r.number("max_clock_ahead_s");
    c->maxClockBehindSeconds = r.number("max_clock_behind_s");
    c->maxHosts = static_cast<int>(r.integer("max_hosts"));
    c->maxJobs = static_cast<int>(r.integer("max_jobs"));
    c->maxNewIdsPerMinute = r.number("max_new_ids_per_minute");
    c->hostExpirySeconds = r.number("host_expiry_s");
    r.ok(problem);
}

QJsonObject influxToJson(const InfluxStatus &s)
{
    return {{QStringLiteral("state"), QLatin1String(influxStateName(s.state))},
            {QStringLiteral("points_written"), static_cast<qint64>(s.pointsWritten)},
            {QStringLiteral("points_queued"), static_cast<qint64>(s.pointsQueued)},
            {QStringLiteral("points_retried"), static_cast<qint64>(s.pointsRetried)},
            {QStringLiteral("points_rejected"), static_cast<qint64>(s.pointsRejected)},
            {QStringLiteral("points_dropped"), static_cast<qint64>(s.pointsDropped)},
            {QStringLiteral("points_not_written"), static_cast<qint64>(s.pointsNotWritten)},
            {QStringLiteral("spool_bytes"), s.spoolBytes},
            {QStringLiteral("last_error"), s.lastError},
            {QStringLiteral("writer_note"), s.writerNote}};
}

void influxFromJson(const QJsonObject &o, InfluxStatus *s, QString *problem)
{
    Reader r(o);
    const QString state = r.text("state");
    s->state = InfluxStatus::State::Off;
    for (auto candidate :
         {InfluxStatus::State::Off, InfluxStatus::State::Writing, InfluxStatus::State::Spooling,
          InfluxStatus::State::AuthError, InfluxStatus::State::Viewing}) {
        if (state == QLatin1String(influxStateName(candidate))) {
            s->state = candidate;
        }
    }
    s->pointsWritten = static_cast<quint64>(r.integer("points_written"));
    s->pointsQueued = static_cast<quint64>(r.integer("points_queued"));
    s->pointsRetried = static_cast<quint64>(r.integer("points_retried"));
    s->pointsRejected = static_cast<quint64>(r.integer("points_rejected"));
    s->pointsDropped = static_cast<quint64>(r.integer("points_dropped"));
    s->pointsNotWritten = static_cast<quint64>(r.integer("points_not_written", false));
    s->spoolBytes = r.integer("spool_bytes");
    s->lastError = r.text("last_error");
    s->writerNote = r.text("writer_note");
    r.ok(problem);
}

ConnectionState connectionStateFromName(const QString &name)
{
    for (auto s :
         {ConnectionState::Disconnected, ConnectionState::Connecting, ConnectionState::Connected,
          ConnectionState::Reconnecting, ConnectionState::Error}) {
        if (name == QLatin1String(connectionStateName(s))) {
            return s;
        }
    }
    return ConnectionState::Error;
}

} // namespace

QJsonObject jobToJson(const JobSummary &job)
{
    QJsonObject o = Ledger::jobToJson(job);
    o[key("v")] = kVersion;
    // Exact instants (jobToJson's "start"/"end" are seconds at microsecond resolution).
    o[key("start_ns")] = nsOrNull(job.startNs);
    o[key("end_ns")] = nsOrNull(job.endNs);
    o[key("from_control")] = job.fromControl;
    o[key("silent_s")] = job.silentSeconds; // freshness: its hosts' silence up to now
    return o;
}

std::optional<JobSummary> jobFromJson(const QJsonObject &o, QString *error)
{
    Reader r(o);
    JobSummary j;
    j.jobId = r.text("job_id");
    const QString status = r.text("status");
    j.running = status == QLatin1String("running");
    j.hosts = r.strings("hosts");
    j.targetHost = r.text("target_host");
    j.startNs = r.integer("start_ns", false);
    j.endNs = r.integer("end_ns", false);
    j.durationSeconds = r.number("duration_s");
    j.kwh = r.number("kwh");
    j.co2eKg = r.number("co2e_kg");
    j.liters = r.number("liters");
    j.currentWatts = r.number("current_watts");
    j.avgWatts = r.number("avg_watts");
    j.peakWatts = r.number("peak_watts");
    const std::optional<double> latestTemp = r.optionalNumber("latest_temp_c");
    j.hasTemp = latestTemp.has_value();
    j.latestTempC = latestTemp.value_or(0);
    j.peakTempC = r.optionalNumber("peak_temp_c").value_or(0);
    j.coverage = r.number("coverage");
    j.coveredSeconds = r.number("covered_s");
    j.uncoveredSeconds = r.number("uncovered_s");
    j.waterCoverage = r.number("water_coverage");
    j.waterCoveredSeconds = r.number("water_covered_s");
    j.waterUncoveredSeconds = r.number("water_uncovered_s");
    j.samples = static_cast<quint64>(r.integer("samples"));
    if (const std::optional<double> code = r.optionalNumber("exit_code")) {
        j.exitCode = static_cast<int>(*code);
    }
    j.fromControl = r.flag("from_control");
    j.targetHosts = r.strings("target_hosts");
    j.user = r.text("user");
    j.name = r.text("name");
    const QJsonObject gpus = r.object("gpus");
    for (auto it = gpus.begin(); it != gpus.end(); ++it) {
        const QString host = it.key() == QLatin1String("*") ? QString() : it.key();
        j.gpus.insert(host, r.stringsOf(it.value(), "gpus"));
    }
    j.exitState = r.text("exit_state");
    // The footprint (docs/footprint.md): optional, so a processor from before it still reads.
    JobFootprint &fp = j.footprint;
    fp.facilityKwh = r.optionalNumber("facility_kwh").value_or(0);
    fp.waterOnsiteL = r.optionalNumber("water_onsite_l").value_or(0);
    fp.waterOffsiteL = r.optionalNumber("water_offsite_l").value_or(0);
    fp.embodiedKg = r.optionalNumber("embodied_co2e_kg").value_or(0);
    fp.staleSeconds = r.optionalNumber("carbon_stale_s").value_or(0);
    fp.fallbackSeconds = r.optionalNumber("carbon_fallback_s").value_or(0);
    const std::optional<double> minG = r.optionalNumber("intensity_min_g");
    fp.hasIntensity = minG.has_value();
    fp.minGPerKwh = minG.value_or(0);
    fp.maxGPerKwh = r.optionalNumber("intensity_max_g").value_or(0);
    if (o.contains(key("carbon_sources"))) {
        fp.sources = r.strings("carbon_sources");
    }
    j.silentSeconds = r.optionalNumber("silent_s").value_or(0);
    if (status != QLatin1String("running") && status != QLatin1String("ended")) {
        if (error) {
            *error = QStringLiteral("\"status\" must be running or ended");
        }
        return std::nullopt;
    }
    if (j.jobId.isEmpty()) {
        if (error) {
            *error = QStringLiteral("\"job_id\" is missing");
        }
        return std::nullopt;
    }
    if (!r.ok(error)) {
        return std::nullopt;
    }
    return j;
}

QJsonObject hostToJson(const HostSummary &host, const QJsonObject &counters)
{
    QJsonObject o = counters;
    o[key("watts")] = host.hasPower ? QJsonValue(host.watts) : QJsonValue();
    o[key("flow_lpm")] = host.hasFlow ? QJsonValue(host.flowLpm) : QJsonValue();
    o[key("temp_c")] = host.hasFlow ? QJsonValue(host.tempC) : QJsonValue();
    o[key("jobs")] = QJsonArray::fromStringList(host.jobs);
    o[key("last_seen_ns")] = static_cast<qint64>(host.lastSeenNs);
    o[key("last_heard_ns")] = static_cast<qint64>(host.lastHeardNs);
    if (!host.components.empty()) {
        QJsonArray components;
        for (const PowerComponent &c : host.components) {
            QJsonObject item{{QStringLiteral("name"), c.name}, {QStringLiteral("watts"), c.watts}};
            if (c.energyJ) {
                item[key("energy_j")] = *c.energyJ;
            }
            if (!c.uuid.isEmpty()) {
                item[key("uuid")] = c.uuid;
            }
            components.append(item);
        }
        o[key("components")] = components;
    }
    return o;
}

std::optional<HostSummary> hostFromJson(const QString &name, const QJsonObject &o, QString *error)
{
    Reader r(o);
    HostSummary h;
    h.host = name;
    const std::optional<double> watts = r.optionalNumber("watts");
    h.hasPower = watts.has_value();
    h.watts = watts.value_or(0);
    const std::optional<double> flow = r.optionalNumber("flow_lpm");
    h.hasFlow = flow.has_value();
    h.flowLpm = flow.value_or(0);
    h.tempC = r.optionalNumber("temp_c").value_or(0);
    h.jobs = r.strings("jobs");
    h.lastSeenNs = r.integer("last_seen_ns");
    h.lastHeardNs = o.contains(key("last_heard_ns")) ? r.integer("last_heard_ns") : h.lastSeenNs;
    h.zone = r.text("zone");
    const std::optional<double> offset = r.optionalNumber("clock_offset_s");
    h.hasClockOffset = offset.has_value();
    h.clockOffsetSeconds = offset.value_or(0);
    h.clockSkewSamples = static_cast<quint64>(r.integer("clock_skew"));
    h.missingSamples = static_cast<quint64>(r.integer("missing_samples"));
    h.waterCoveredSeconds = r.number("water_covered_s");
    h.waterUncoveredSeconds = r.number("water_uncovered_s");
    h.powerSource = r.text("power_source");
    h.hasEnergyCounter = r.flag("energy_counter");
    const QJsonValue components = o.value(key("components"));
    for (const QJsonValue &v : components.toArray()) {
        Reader c(v.toObject());
        PowerComponent pc;
        pc.name = c.text("name");
        pc.watts = c.number("watts");
        if (const std::optional<double> e = c.optionalNumber("energy_j")) {
            pc.energyJ = *e;
        }
        pc.uuid = c.text("uuid");
        if (!c.ok(error)) {
            return std::nullopt;
        }
        h.components.push_back(pc);
    }
    if (name.isEmpty() || !r.ok(error)) {
        if (name.isEmpty() && error) {
            *error = QStringLiteral("a host without a name");
        }
        return std::nullopt;
    }
    return h;
}

QJsonObject summaryToJson(const ProcessorSnapshot &s, const SummaryInfo &info)
{
    QJsonObject o{
        {QStringLiteral("v"), kVersion},
        {QStringLiteral("processor"), info.processor},
        {QStringLiteral("client_id"), info.clientId},
        {QStringLiteral("interval_ms"), info.intervalMs},
        {QStringLiteral("stopped"), info.stopped},
        {QStringLiteral("taken_ns"), static_cast<qint64>(s.takenNs)},
        {QStringLiteral("jobs"), info.jobs},
        {QStringLiteral("hosts"), info.hosts},
        {QStringLiteral("host_pages"), info.hostPages},
        {QStringLiteral("accepted"), static_cast<qint64>(s.accepted)},
        {QStringLiteral("rejected"), static_cast<qint64>(s.rejected)},
        {QStringLiteral("dropped_publishes"), static_cast<qint64>(s.droppedPublishes)},
        {QStringLiteral("messages_per_second"), s.messagesPerSecond},
        {QStringLiteral("rejections_by_reason"), s.rejectionsByReason},
        {QStringLiteral("power_now_w"), s.powerNowWatts},
        {QStringLiteral("today"), s.today.toJson()},
        {QStringLiteral("config"), configToJson(s.config)},
        {QStringLiteral("mqtt"),
         QJsonObject{{QStringLiteral("state"), QLatin1String(connectionStateName(s.mqttState))},
                     {QStringLiteral("error"), s.mqttError}}},
        {QStringLiteral("influx"), influxToJson(s.influx)},
        {QStringLiteral("state_save_error"), s.stateSaveError},
        {QStringLiteral("state_save_failures"), static_cast<qint64>(s.stateSaveFailures)},
        {QStringLiteral("journal_failures"), static_cast<qint64>(s.journalFailures)},
        {QStringLiteral("reconciled_ends"), static_cast<qint64>(s.reconciledEnds)},
        {QStringLiteral("gpu_energy_clamped"), static_cast<qint64>(s.gpuEnergyClamped)},
        {QStringLiteral("stale_after_s"), s.staleAfterSeconds},
    };
    return o;
}

bool summaryFromJson(const QJsonObject &o, ProcessorSnapshot *s, SummaryInfo *info, QString *error)
{
    Reader r(o);
    info->processor = r.text("processor");
    info->clientId = r.text("client_id");
    info->intervalMs = static_cast<int>(r.integer("interval_ms"));
    info->stopped = r.flag("stopped");
    info->jobs = static_cast<int>(r.integer("jobs"));
    info->hosts = static_cast<int>(r.integer("hosts"));
    info->hostPages = static_cast<int>(r.integer("host_pages"));
    s->takenNs = r.integer("taken_ns");
    s->accepted = static_cast<quint64>(r.integer("accepted"));
    s->rejected = static_cast<quint64>(r.integer("rejected"));
    s->droppedPublishes = static_cast<quint64>(r.integer("dropped_publishes"));
    s->messagesPerSecond = r.number("messages_per_second");
    s->rejectionsByReason = r.object("rejections_by_reason");
    s->powerNowWatts = r.number("power_now_w");
    Reader today(r.object("today"));
    for (const DayTotals::Field &f : DayTotals::fields()) {
        s->today.*f.day = today.number(f.key, /*required=*/!f.footprint);
    }
    Reader mqtt(r.object("mqtt"));
    s->mqttState = connectionStateFromName(mqtt.text("state"));
    s->mqttError = mqtt.text("error");
    QString problem;
    configFromJson(r.object("config"), &s->config, &problem);
    if (problem.isEmpty()) {
        influxFromJson(r.object("influx"), &s->influx, &problem);
    }
    s->stateSaveError = r.text("state_save_error");
    s->stateSaveFailures = static_cast<quint64>(r.integer("state_save_failures"));
    s->journalFailures = static_cast<quint64>(r.integer("journal_failures"));
    s->reconciledEnds = static_cast<quint64>(r.integer("reconciled_ends"));
    s->gpuEnergyClamped =
        static_cast<quint64>(r.optionalNumber("gpu_energy_clamped").value_or(0)); // optional
    // The processor's bound for silent hosts, so a follower greys the same hosts (optional).
    s->staleAfterSeconds = r.optionalNumber("stale_after_s").value_or(0);
    if (!r.ok(error) || !today.ok(error) || !mqtt.ok(error)) {
        return false;
    }
    if (!problem.isEmpty()) {
        if (error) {
            *error = problem;
        }
        return false;
    }
    return true;
}

} // namespace greenpulse::core::ledgerfeed
