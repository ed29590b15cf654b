#include "accounting/LedgerDevices_p.h"
#include "accounting/LedgerFootprint_p.h"
#include "accounting/LedgerNodes_p.h"
#include "accounting/LedgerStore_p.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QStringList>

namespace greenpulse::core::ledgerstore {

namespace {
QJsonValue nsToJson(TimeNs ns)
{
    return ns == 0 ? QJsonValue() : QJsonValue(QString::number(ns));
}
TimeNs nsFromJson(const QJsonValue &v)
{
    return v.isString() ? v.toString().toLongLong() : static_cast<TimeNs>(v.toDouble());
}
// A host's latest sample of one kind: [t, value], [t, value, "seq"], or with an energy counter
// [t, value, "seq" or null, joules, "counter id"].
QJsonArray lastToJson(const LedgerState::Last &last)
{
    QJsonArray a{nsToJson(last.t), last.v};
    if (last.hasSeq || last.hasCounter) {
        a.append(last.hasSeq ? QJsonValue(QString::number(last.seq)) : QJsonValue());
    }
    if (last.hasCounter) {
        a.append(last.energyJ);
        a.append(last.counterId);
    }
    return a;
}
// Restored: the interval to the next sample may hide samples lost while we were down.
LedgerState::Last lastFromJson(const QJsonArray &a)
{
    LedgerState::Last last{true, nsFromJson(a.at(0)), a.at(1).toDouble()};
    last.hasSeq = a.at(2).isString();
    last.seq = a.at(2).toString().toULongLong();
    // A counter survives our restart: the agent kept counting, so the next difference is exact.
    last.hasCounter = a.at(3).isDouble() && a.at(4).isString();
    last.energyJ = a.at(3).toDouble();
    last.counterId = a.at(4).toString();
    last.restored = true;
    return last;
}
quint64 countFromJson(const QJsonValue &v)
{
    return v.toString().toULongLong();
}
} // namespace

QJsonObject save(const LedgerState &state, const LedgerCounters &counters)
{
    QJsonArray jobs;
    for (const auto &[id, j] : state.jobs) {
        QJsonObject o;
        o[QLatin1String("id")] = id;
        o[QLatin1String("from_control")] = j->fromControl;
        o[QLatin1String("target_host")] = j->targetHost;
        if (j->owner.kind != ControlOrigin::Kind::Legacy) {
            o[QLatin1String("owner")] = controlOriginName(j->owner); // absent: no owner
        }
        QJsonArray spans;
        for (const LedgerState::Span &s : j->spans) {
            spans.append(QJsonArray{nsToJson(s.start),
                                    s.end == LedgerState::kOpen ? QJsonValue() : nsToJson(s.end)});
        }
        o[QLatin1String("spans")] = spans;
        o[QLatin1String("orphan_end")] = nsToJson(j->orphanEndNs);
        o[QLatin1String("sample_running")] = j->sampleRunning;
        o[QLatin1String("reporting_hosts")] = j->reportingHosts;
        o[QLatin1String("first")] = nsToJson(j->firstNs);
        o[QLatin1String("last_end")] = nsToJson(j->lastEndNs);
        o[QLatin1String("joules")] = j->joules;
        o[QLatin1String("liters")] = j->liters;
        o[QLatin1String("co2e_kg")] = j->co2eKg;
        o[QLatin1String("covered")] = j->covered;
        o[QLatin1String("uncovered")] = j->uncovered;
        o[QLatin1String("water_covered")] = j->waterCovered;
        o[QLatin1String("water_uncovered")] = j->waterUncovered;
        o[QLatin1String("active_s")] = j->activeSeconds;
        o[QLatin1String("active_until")] = nsToJson(j->activeUntilNs);
        o[QLatin1String("samples")] = QString::number(j->samples);
        o[QLatin1String("peak_watts")] = j->peakWatts;
        o[QLatin1String("latest_temp")] = j->latestTemp;
        o[QLatin1String("peak_temp")] = j->peakTemp;
        o[QLatin1String("has_temp")] = j->hasTemp;
        if (j->exitCode) {
            o[QLatin1String("exit_code")] = *j->exitCode;
        }
        o[QLatin1String("hosts")] =
            QJsonArray::fromStringList(QStringList(j->hosts.cbegin(), j->hosts.cend()));
        QJsonObject hw;
        for (auto it = j->hostWatts.cbegin(); it != j->hostWatts.cend(); ++it) {
            hw[it.key()] = it.value();
        }
        o[QLatin1String("host_watts")] = hw;
        ledgernodes::save(*j, &o);
        ledgerfootprint::save(j->footprint, &o);
        jobs.append(o);
    }
    QJsonArray hosts;
    for (const auto &[name, h] : state.hosts) {
        QJsonObject o;
        o[QLatin1String("name")] = name;
        if (h.power.has) {
            o[QLatin1String("power")] = lastToJson(h.power);
        }
        if (h.flow.has) {
            o[QLatin1String("flow")] = lastToJson(h.flow);
        }
        o[QLatin1String("water_covered")] = h.waterCovered;
        o[QLatin1String("water_uncovered")] = h.waterUncovered;
        o[QLatin1String("missing_samples")] = QString::number(h.missingSamples);
        o[QLatin1String("clock_skew")] = QString::number(h.clock.restamped);
        if (h.clock.hasOffset) {
            o[QLatin1String("clock_offset")] = QString::number(h.clock.offsetNs);
        }
        o[QLatin1String("sample_job")] = h.sampleJob;
        if (h.hasTemp) {
            o[QLatin1String("temp")] = h.temp;
        }
        o[QLatin1String("last_seen")] = nsToJson(h.lastSeen);
        QJsonArray current;
        for (const LedgerState::Job *j : h.current) {
            current.append(j->id);
        }
        o[QLatin1String("current")] = current;
        ledgerdevices::save(h, &o);
        hosts.append(o);
    }
    QJsonObject c;
    c[QLatin1String("power_samples")] = QString::number(counters.powerSamples);
    c[QLatin1String("flow_samples")] = QString::number(counters.flowSamples);
    c[QLatin1String("control_messages")] = QString::number(counters.controlMessages);
    c[QLatin1String("out_of_order")] = QString::number(counters.outOfOrder);
    c[QLatin1String("from_future")] = QString::number(counters.fromFuture);
    c[QLatin1String("gaps")] = QString::number(counters.gaps);
    c[QLatin1String("flow_gaps")] = QString::number(counters.flowGaps);
    c[QLatin1String("missing_samples")] = QString::number(counters.missingSamples);
    c[QLatin1String("seq_restarts")] = QString::number(counters.seqRestarts);
    c[QLatin1String("counter_intervals")] = QString::number(counters.counterIntervals);
    c[QLatin1String("counter_restarts")] = QString::number(counters.counterRestarts);
    c[QLatin1String("counter_regressions")] = QString::number(counters.counterRegressions);
    c[QLatin1String("clock_skew")] = QString::number(counters.clockSkew);
    c[QLatin1String("too_many_ids")] = QString::number(counters.tooManyIds);
    c[QLatin1String("id_rate_limited")] = QString::number(counters.idRateLimited);
    c[QLatin1String("hosts_expired")] = QString::number(counters.hostsExpired);
    c[QLatin1String("jobs_forgotten")] = QString::number(counters.jobsForgotten);
    c[QLatin1String("gpu_energy_clamped")] = QString::number(counters.gpuEnergyClamped);
    QJsonObject root;
    root[QLatin1String("format")] = QStringLiteral("greenpulse-ledger");
    root[QLatin1String("version")] = 1;
    root[QLatin1String("jobs")] = jobs;
    root[QLatin1String("hosts")] = hosts;
    root[QLatin1String("counters")] = c;
    root[QLatin1String("grid")] = state.grid.toJson();
    return root;
}

std::unique_ptr<LedgerState> load(const QJsonObject &json, LedgerCounters *counters, QString *error)
{
    if (json.value(QLatin1String("format")).toString() != QLatin1String("greenpulse-ledger") ||
        json.value(QLatin1String("version")).toInt() != 1) {
        if (error) {
            *error = QStringLiteral("not a GreenPulse ledger (version 1) state");
        }
        return nullptr;
    }
    auto fresh = std::make_unique<LedgerState>();
    for (const QJsonValue &v : json.value(QLatin1String("jobs")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString id = o.value(QLatin1String("id")).toString();
        if (id.isEmpty()) {
            continue;
        }
        LedgerState::Job &j = fresh->job(id);
        j.fromControl = o.value(QLatin1String("from_control")).toBool();
        j.targetHost = o.value(QLatin1String("target_host")).toString();
        j.owner = controlOriginFromName(o.value(QLatin1String("owner")).toString())
                      .value_or(ControlOrigin::legacy());
        for (const QJsonValue &sv : o.value(QLatin1String("spans")).toArray()) {
            const QJsonArray a = sv.toArray();
            LedgerState::Span s;
            s.start = nsFromJson(a.at(0));
            s.end = a.at(1).isNull() ? LedgerState::kOpen : nsFromJson(a.at(1));
            j.spans.push_back(s);
        }
        j.orphanEndNs = nsFromJson(o.value(QLatin1String("orphan_end")));
        j.sampleRunning = o.value(QLatin1String("sample_running")).toBool();
        j.reportingHosts = o.value(QLatin1String("reporting_hosts")).toInt();
        j.firstNs = nsFromJson(o.value(QLatin1String("first")));
        j.lastEndNs = nsFromJson(o.value(QLatin1String("last_end")));
        j.joules = o.value(QLatin1String("joules")).toDouble();
        j.liters = o.value(QLatin1String("liters")).toDouble();
        j.co2eKg = o.value(QLatin1String("co2e_kg")).toDouble();
        j.covered = o.value(QLatin1String("covered")).toDouble();
        j.uncovered = o.value(QLatin1String("uncovered")).toDouble();
        j.waterCovered = o.value(QLatin1String("water_covered")).toDouble();
        j.waterUncovered = o.value(QLatin1String("water_uncovered")).toDouble();
        // State files from before active time was kept: host-seconds (exact for one host).
        j.activeSeconds = o.value(QLatin1String("active_s")).toDouble(j.covered);
        j.activeUntilNs = o.contains(QLatin1String("active_until"))
                              ? nsFromJson(o.value(QLatin1String("active_until")))
                              : j.lastEndNs;
        j.samples = o.value(QLatin1String("samples")).toString().toULongLong();
        j.peakWatts = o.value(QLatin1String("peak_watts")).toDouble();
        j.latestTemp = o.value(QLatin1String("latest_temp")).toDouble();
        j.peakTemp = o.value(QLatin1String("peak_temp")).toDouble();
        j.hasTemp = o.value(QLatin1String("has_temp")).toBool();
        if (o.contains(QLatin1String("exit_code"))) {
            j.exitCode = o.value(QLatin1String("exit_code")).toInt();
        }
        for (const QJsonValue &h : o.value(QLatin1String("hosts")).toArray()) {
            j.hosts.insert(h.toString());
        }
        const QJsonObject hw = o.value(QLatin1String("host_watts")).toObject();
        for (auto it = hw.begin(); it != hw.end(); ++it) {
            j.hostWatts.insert(it.key(), it.value().toDouble());
            j.currentWatts += it.value().toDouble();
        }
        if (j.fromControl) {
            fresh->candidateList(j).push_back(&j);
        }
        ledgernodes::load(o, *fresh, j);
        ledgerfootprint::load(o, &j.footprint);
    }
    for (const QJsonValue &v : json.value(QLatin1String("hosts")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString name = o.value(QLatin1String("name")).toString();
        if (name.isEmpty()) {
            continue;
        }
        LedgerState::Host &h = fresh->host(name);
        if (o.contains(QLatin1String("power"))) {
            h.power = lastFromJson(o.value(QLatin1String("power")).toArray());
        }
        if (o.contains(QLatin1String("flow"))) {
            h.flow = lastFromJson(o.value(QLatin1String("flow")).toArray());
        }
        h.waterCovered = o.value(QLatin1String("water_covered")).toDouble();
        h.waterUncovered = o.value(QLatin1String("water_uncovered")).toDouble();
        h.missingSamples = countFromJson(o.value(QLatin1String("missing_samples")));
        h.clock.restamped = countFromJson(o.value(QLatin1String("clock_skew")));
        h.clock.offsetNs = nsFromJson(o.value(QLatin1String("clock_offset")));
        h.sampleJob = o.value(QLatin1String("sample_job")).toString();
        h.hasTemp = o.contains(QLatin1String("temp"));
        h.temp = o.value(QLatin1String("temp")).toDouble();
        h.lastSeen = nsFromJson(o.value(QLatin1String("last_seen")));
        for (const QJsonValue &id : o.value(QLatin1String("current")).toArray()) {
            h.current.push_back(&fresh->job(id.toString()));
        }
        ledgerdevices::load(o, h);
    }
    const QJsonObject c = json.value(QLatin1String("counters")).toObject();
    auto counter = [&c](const char *key) {
        return c.value(QLatin1String(key)).toString().toULongLong();
    };
    counters->powerSamples = counter("power_samples");
    counters->flowSamples = counter("flow_samples");
    counters->controlMessages = counter("control_messages");
    counters->outOfOrder = counter("out_of_order");
    counters->fromFuture = counter("from_future");
    counters->gaps = counter("gaps");
    counters->flowGaps = counter("flow_gaps");
    counters->missingSamples = counter("missing_samples");
    counters->seqRestarts = counter("seq_restarts");
    counters->counterIntervals = counter("counter_intervals");
    counters->counterRestarts = counter("counter_restarts");
    counters->counterRegressions = counter("counter_regressions");
    counters->clockSkew = counter("clock_skew");
    counters->tooManyIds = counter("too_many_ids");
    counters->idRateLimited = counter("id_rate_limited");
    counters->hostsExpired = counter("hosts_expired");
    counters->jobsForgotten = counter("jobs_forgotten");
    counters->gpuEnergyClamped = counter("gpu_energy_clamped");
    fresh->grid.restore(json.value(QLatin1String("grid")).toObject());
    return fresh;
}

} // namespace greenpulse::core::ledgerstore
