#include "accounting/Ledger.h"

#include "accounting/LedgerFootprint_p.h"
#include "accounting/LedgerFreshness_p.h"
#include "accounting/LedgerIntegration_p.h"
#include "accounting/LedgerNodes_p.h"
#include "accounting/LedgerState_p.h"
#include "accounting/LedgerStore_p.h"
#include "base/Logging.h"
#include "protocol/JobId.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>

namespace greenpulse::core {

namespace {

using Job = LedgerState::Job;
using Host = LedgerState::Host;
using Span = LedgerState::Span;
constexpr TimeNs kOpen = LedgerState::kOpen;

using ledgerintegration::Kind;
using ledgerintegration::kJoulesPerKwh;

double secondsBetween(TimeNs a, TimeNs b)
{
    return static_cast<double>(b - a) / 1e9;
}

QJsonValue secondsOrNull(TimeNs ns)
{
    return ns == 0 ? QJsonValue() : QJsonValue(toSeconds(ns));
}

// Null (counted as out of order) when a sample of `kind` at `t` is not newer than the host's
// latest of the same kind.
bool admit(LedgerCounters &counters, const Host &host, Kind kind, TimeNs t)
{
    const LedgerState::Last &latest = kind == Kind::Power ? host.power : host.flow;
    if (latest.has && t <= latest.t) {
        ++counters.outOfOrder;
        return false;
    }
    ++(kind == Kind::Power ? counters.powerSamples : counters.flowSamples);
    return true;
}

JobSummary summarize(const Job &j, TimeNs now)
{
    JobSummary s;
    s.jobId = j.id;
    s.running = j.running();
    QStringList hosts(j.hosts.cbegin(), j.hosts.cend());
    hosts.sort();
    s.hosts = hosts;
    s.targetHost = j.targetHost;
    s.fromControl = j.fromControl;
    if (j.fromControl) {
        s.startNs = j.spans.empty() ? j.firstNs : j.spans.front().start;
        s.endNs = j.endNs() == kOpen ? 0 : j.endNs();
    } else {
        s.startNs = j.firstNs;
        s.endNs = s.running ? 0 : j.lastEndNs;
    }
    if (s.endNs > 0 && s.startNs > s.endNs) {
        // An end stamped before anything we saw of the job (a clock off on the publisher): the
        // job is over, and it lasted no time at all rather than a negative one.
        s.endNs = s.startNs;
    }
    if (s.startNs > 0) {
        const TimeNs until = s.endNs > 0 ? s.endNs : std::max(now, s.startNs);
        s.durationSeconds = secondsBetween(s.startNs, until);
    }
    s.kwh = j.joules / kJoulesPerKwh;
    s.co2eKg = j.co2eKg;
    s.liters = j.liters;
    s.currentWatts = s.running ? std::max(0.0, j.currentWatts) : 0.0;
    s.peakWatts = j.peakWatts;
    s.latestTempC = j.latestTemp;
    s.peakTempC = j.peakTemp;
    s.hasTemp = j.hasTemp;
    s.coveredSeconds = j.covered;
    s.uncoveredSeconds = j.uncovered;
    const double seen = j.covered + j.uncovered;
    s.coverage = seen > 0 ? j.covered / seen : 0.0;
    s.waterCoveredSeconds = j.waterCovered;
    s.waterUncoveredSeconds = j.waterUncovered;
    const double waterSeen = j.waterCovered + j.waterUncovered;
    s.waterCoverage = waterSeen > 0 ? j.waterCovered / waterSeen : 0.0;
    // Over the time it drew power, not its whole span: `idle` is interrupted by every job.
    s.avgWatts = j.activeSeconds > 0 ? j.joules / j.activeSeconds : 0.0;
    s.samples = j.samples;
    s.exitCode = j.exitCode;
    s.targetHosts = ledgernodes::hostsOf(j);
    s.user = j.user;
    s.name = j.name;
    for (const auto &[host, devices] : j.gpus) {
        s.gpus.insert(host, devices);
    }
    s.exitState = j.exitState;
    s.footprint = j.footprint;
    return s;
}

} // namespace

Ledger::Ledger(LedgerConfig config, const Clock &clock)
    : d(std::make_unique<LedgerState>()), m_config(config), m_clock(clock),
      m_idTokens(config.maxNewIdsPerMinute)
{
    d->idle = &d->job(QLatin1String(jobid::kIdle));
}

Ledger::~Ledger() = default;

void Ledger::setConfig(const LedgerConfig &config)
{
    m_config = config;
    ++m_revision;
}

Ledger::Result Ledger::addPower(const PowerSample &sample)
{
    auto found = d->hosts.find(sample.host);
    const bool newHost = found == d->hosts.end();
    // A host's latest sample keeps the job it names in memory (forgetJob), so only a change of
    // job needs a look-up.
    const bool newJob = !sample.jobId.isEmpty() &&
                        (newHost || found->second.sampleJob != sample.jobId) &&
                        d->jobs.find(sample.jobId) == d->jobs.end();
    if (newHost || newJob) {
        if (const std::optional<Result> refused = gateNewIds(newHost ? 1 : 0, newJob ? 1 : 0)) {
            return *refused;
        }
    }
    Host &host = newHost ? d->host(sample.host) : found->second;
    const TimeNs t =
        judgeClock(sample.timestampNs, sample.receiptNs, sample.timestampFromReceipt, &host.clock);
    if (!admit(m_counters, host, Kind::Power, t)) {
        return Result::OutOfOrder;
    }
    ++m_revision;
    ledgerfreshness::heard(host, sample.receiptNs, m_clock.nowNs());

    // Sample-only jobs run while some host's latest sample names them.
    if (host.sampleJob != sample.jobId) {
        if (!host.sampleJob.isEmpty()) {
            Job &old = d->job(host.sampleJob);
            if (--old.reportingHosts <= 0) {
                old.reportingHosts = 0;
                old.sampleRunning = false;
            }
        }
        if (!sample.jobId.isEmpty()) {
            Job &named = d->job(sample.jobId);
            ++named.reportingHosts;
            named.sampleRunning = true;
        }
        host.sampleJob = sample.jobId;
    }

    std::optional<ledgerintegration::EnergyReading> counter;
    if (sample.energyJ && !sample.counterId.isEmpty()) {
        counter = ledgerintegration::EnergyReading{*sample.energyJ, sample.counterId};
    }
    host.powerSource = sample.source; // cheap: implicitly shared
    host.zone = sample.zone;          // the interval this sample closes is charged in it
    ledgerintegration::take(*d, m_config, m_counters, host, Kind::Power, t, sample.watts,
                            sample.seq, sample.jobId, counter,
                            {&sample.components, &sample.counterId});

    // Who holds this host now: control jobs active at this instant, else the sample's job, else
    // idle. Each holder gets an equal share of the host's current watts.
    std::vector<Job *> &holders = d->holders;
    holders.clear();
    std::vector<Job *> &cand = d->scratch;
    d->candidates(host.name, t - 1, t + 1, cand);
    for (Job *j : cand) {
        if (j->activeOn(host.name, t)) {
            holders.push_back(j);
        }
    }
    if (holders.empty()) {
        Job *owner = sample.jobId.isEmpty() ? d->idle : &d->job(sample.jobId);
        if (owner->knownStart() && !owner->activeAt(t)) {
            owner = d->idle;
        }
        holders.push_back(owner);
    }
    for (Job *j : host.current) {
        if (std::find(holders.begin(), holders.end(), j) == holders.end()) {
            j->currentWatts -= j->hostWatts.take(host.name);
        }
    }
    const double share = sample.watts / static_cast<double>(holders.size());
    for (Job *j : holders) {
        double &w = j->hostWatts[host.name];
        j->currentWatts += share - w;
        w = share;
        j->peakWatts = std::max(j->peakWatts, j->currentWatts);
        ++j->samples;
    }
    host.current.swap(holders); // the old list becomes the next sample's scratch
    return Result::Accepted;
}

Ledger::Result Ledger::addFlowTemp(const FlowTempSample &sample)
{
    auto found = d->hosts.find(sample.host);
    const bool newHost = found == d->hosts.end();
    if (newHost) {
        if (const std::optional<Result> refused = gateNewIds(1, 0)) {
            return *refused;
        }
    }
    Host &host = newHost ? d->host(sample.host) : found->second;
    const TimeNs t =
        judgeClock(sample.timestampNs, sample.receiptNs, sample.timestampFromReceipt, &host.clock);
    if (!admit(m_counters, host, Kind::Flow, t)) {
        return Result::OutOfOrder;
    }
    ++m_revision;
    ledgerfreshness::heard(host, sample.receiptNs, m_clock.nowNs());
    ledgerintegration::take(*d, m_config, m_counters, host, Kind::Flow, t, sample.flowLpm,
                            sample.seq, host.sampleJob);
    host.temp = sample.tempC;
    host.hasTemp = true;
    for (Job *j : host.current) {
        j->latestTemp = sample.tempC;
        j->peakTemp = j->hasTemp ? std::max(j->peakTemp, sample.tempC) : sample.tempC;
        j->hasTemp = true;
    }
    return Result::Accepted;
}

Ledger::Result Ledger::applyControl(const ControlMessage &message)
{
    if (message.jobId == QLatin1String(jobid::kIdle)) {
        return Result::Accepted; // "idle" is ours; nobody starts or ends it
    }
    if (const auto it = d->jobs.find(message.jobId);
        it != d->jobs.end() && it->second->fromControl &&
        !mayControl(it->second->owner, message.origin)) {
        const bool repeatedStart = message.status == JobStatus::Start && it->second->running();
        return repeatedStart ? Result::Accepted : Result::NotOwner; // the job stays as it is
    }
    if (d->jobs.find(message.jobId) == d->jobs.end()) {
        if (const std::optional<Result> refused = gateNewIds(0, 1)) {
            return *refused;
        }
    }
    const TimeNs t =
        judgeClock(message.timestampNs, message.receiptNs, message.timestampFromReceipt, nullptr);
    ++m_counters.controlMessages;
    ++m_revision;
    Job &j = d->job(message.jobId);
    const bool wasControl = j.fromControl;
    if (!wasControl) {
        j.fromControl = true;
        j.targetHost = message.host;
        j.owner = message.origin;
        d->candidateList(j).push_back(&j);
    } else if (message.status == JobStatus::Start && !j.running()) {
        // Reopened: make sure it is a candidate again.
        std::vector<Job *> &list = d->candidateList(j);
        if (std::find(list.begin(), list.end(), &j) == list.end()) {
            list.push_back(&j);
        }
    }
    ledgernodes::takeDetails(j, message);
    if (message.status == JobStatus::Start && ledgernodes::isNodeStart(j, message.host)) {
        ledgernodes::startNode(*d, j, message.host, t); // a job on several hosts
    } else if (message.status == JobStatus::Start) {
        if (j.running()) {
            return Result::Accepted; // a repeated start changes nothing
        }
        j.spans.push_back({t, kOpen});
        if (j.firstNs == 0 || t < j.firstNs) {
            j.firstNs = t;
        }
        qCDebug(lcLedger) << "job started" << j.id << "on"
                          << (j.targetHost.isEmpty() ? QStringLiteral("every host") : j.targetHost);
    } else if (const std::optional<TimeNs> last =
                   j.nodes.empty() ? std::optional<TimeNs>(t)
                                   : ledgernodes::endNode(*d, j, message.host, t);
               !last) {
        if (message.exitCode) {
            j.exitCode = message.exitCode; // it still runs on some of its hosts
        }
    } else {
        const TimeNs endT = *last;
        if (j.spans.empty()) {
            // An end without a start: the job is known to have ended; its start is unknown, so
            // it gets no span, only what samples naming it carried before this end.
            j.orphanEndNs = endT;
        } else if (j.spans.back().end == kOpen) {
            j.spans.back().end = std::max(endT, j.spans.back().start);
        }
        if (message.exitCode) {
            j.exitCode = message.exitCode;
        }
        j.currentWatts = 0;
        j.hostWatts.clear();
        for (auto &[name, host] : d->hosts) {
            host.current.erase(std::remove(host.current.begin(), host.current.end(), &j),
                               host.current.end());
        }
        qCDebug(lcLedger) << "job ended" << j.id;
    }
    d->pruneCandidates(d->latestSampleNs);
    return Result::Accepted;
}

std::vector<JobSummary> Ledger::jobs() const
{
    const TimeNs now = m_clock.nowNs();
    const auto silent = ledgerfreshness::silentSeconds(*d, m_config.maxGapSeconds, now);
    std::vector<JobSummary> out;
    out.reserve(d->jobs.size());
    for (const auto &[id, j] : d->jobs) {
        if (j.get() != d->idle && !j->fromControl && j->hosts.isEmpty()) {
            continue; // named by a sample whose interval was never integrated yet
        }
        out.push_back(summarize(*j, now));
        if (const auto it = silent.find(j.get()); it != silent.end()) {
            ledgerfreshness::addSilence(out.back(), it->second);
        }
    }
    std::sort(out.begin(), out.end(), [](const JobSummary &a, const JobSummary &b) {
        const bool aIdle = a.jobId == QLatin1String(jobid::kIdle);
        const bool bIdle = b.jobId == QLatin1String(jobid::kIdle);
        if (aIdle != bIdle) {
            return aIdle;
        }
        if (a.startNs != b.startNs) {
            return a.startNs < b.startNs;
        }
        return a.jobId < b.jobId;
    });
    return out;
}

ControlOrigin Ledger::jobOwner(const QString &jobId) const
{
    const auto it = d->jobs.find(jobId);
    return it == d->jobs.end() ? ControlOrigin::legacy() : it->second->owner;
}

std::optional<JobSummary> Ledger::job(const QString &jobId) const
{
    const auto it = d->jobs.find(jobId);
    if (it == d->jobs.end()) {
        return std::nullopt;
    }
    const TimeNs now = m_clock.nowNs();
    JobSummary summary = summarize(*it->second, now);
    const auto silent = ledgerfreshness::silentSeconds(*d, m_config.maxGapSeconds, now);
    if (const auto s = silent.find(it->second.get()); s != silent.end()) {
        ledgerfreshness::addSilence(summary, s->second);
    }
    return summary;
}

std::vector<HostSummary> Ledger::hosts() const
{
    std::vector<HostSummary> out;
    out.reserve(d->hosts.size());
    for (const auto &[name, h] : d->hosts) {
        HostSummary s;
        s.host = name;
        s.watts = h.power.v;
        s.hasPower = h.power.has;
        s.flowLpm = h.flow.v;
        s.hasFlow = h.flow.has;
        s.tempC = h.temp;
        s.lastSeenNs = h.lastSeen;
        s.lastHeardNs = ledgerfreshness::lastHeard(h);
        s.clockOffsetSeconds = static_cast<double>(h.clock.offsetNs) / 1e9;
        s.hasClockOffset = h.clock.hasOffset;
        s.clockSkewSamples = h.clock.restamped;
        s.missingSamples = h.missingSamples;
        s.waterCoveredSeconds = h.waterCovered;
        s.waterUncoveredSeconds = h.waterUncovered;
        s.powerSource = h.powerSource;
        s.components = h.components;
        s.hasEnergyCounter = h.power.hasCounter;
        s.zone = ledgerfootprint::zoneOf(m_config, h);
        for (const Job *j : h.current) {
            if (j != d->idle) {
                s.jobs << j->id;
            }
        }
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(),
              [](const HostSummary &a, const HostSummary &b) { return a.host < b.host; });
    return out;
}

QJsonObject Ledger::toJson() const
{
    return ledgerstore::save(*d, m_counters);
}

bool Ledger::restore(const QJsonObject &state, QString *error)
{
    LedgerCounters counters;
    std::unique_ptr<LedgerState> fresh = ledgerstore::load(state, &counters, error);
    if (!fresh) {
        return false;
    }
    fresh->idle = &fresh->job(QLatin1String(jobid::kIdle));
    d = std::move(fresh);
    m_counters = counters;
    ++m_revision;
    return true;
}

QJsonObject Ledger::jobToJson(const JobSummary &job)
{
    QJsonObject o;
    o[QLatin1String("job_id")] = job.jobId;
    o[QLatin1String("status")] = job.running ? QStringLiteral("running") : QStringLiteral("ended");
    o[QLatin1String("hosts")] = QJsonArray::fromStringList(job.hosts);
    o[QLatin1String("target_host")] =
        job.targetHost.isEmpty() ? QJsonValue() : QJsonValue(job.targetHost);
    o[QLatin1String("start")] = secondsOrNull(job.startNs);
    o[QLatin1String("end")] = secondsOrNull(job.endNs);
    o[QLatin1String("duration_s")] = job.durationSeconds;
    o[QLatin1String("kwh")] = job.kwh;
    o[QLatin1String("co2e_kg")] = job.co2eKg;
    o[QLatin1String("liters")] = job.liters;
    o[QLatin1String("current_watts")] = job.currentWatts;
    o[QLatin1String("avg_watts")] = job.avgWatts;
    o[QLatin1String("peak_watts")] = job.peakWatts;
    o[QLatin1String("latest_temp_c")] = job.hasTemp ? QJsonValue(job.latestTempC) : QJsonValue();
    o[QLatin1String("peak_temp_c")] = job.hasTemp ? QJsonValue(job.peakTempC) : QJsonValue();
    o[QLatin1String("coverage")] = job.coverage;
    o[QLatin1String("covered_s")] = job.coveredSeconds;
    o[QLatin1String("uncovered_s")] = job.uncoveredSeconds;
    o[QLatin1String("water_coverage")] = job.waterCoverage;
    o[QLatin1String("water_covered_s")] = job.waterCoveredSeconds;
    o[QLatin1String("water_uncovered_s")] = job.waterUncoveredSeconds;
    o[QLatin1String("samples")] = static_cast<qint64>(job.samples);
    o[QLatin1String("exit_code")] = job.exitCode ? QJsonValue(*job.exitCode) : QJsonValue();
    jobDetailsToJson(job, &o);
    ledgerfootprint::toJson(job, &o);
    return o;
}

void Ledger::jobDetailsToJson(const JobSummary &job, QJsonObject *o)
{
    (*o)[QLatin1String("target_hosts")] = QJsonArray::fromStringList(job.targetHosts);
    (*o)[QLatin1String("user")] = job.user.isEmpty() ? QJsonValue() : QJsonValue(job.user);
    (*o)[QLatin1String("name")] = job.name.isEmpty() ? QJsonValue() : QJsonValue(job.name);
    QJsonObject gpus;
    for (auto it = job.gpus.cbegin(); it != job.gpus.cend(); ++it) {
        gpus[it.key().isEmpty() ? QStringLiteral("*") : it.key()] =
            QJsonArray::fromStringList(it.value());
    }
    (*o)[QLatin1String("gpus")] = gpus;
    (*o)[QLatin1String("exit_state")] =
        job.exitState.isEmpty() ? QJsonValue() : QJsonValue(job.exitState);
}

QJsonObject Ledger::hostsToJson(const std::vector<HostSummary> &hosts)
{
    QJsonObject out;
    for (const HostSummary &h : hosts) {
        out[h.host] =
            QJsonObject{{QStringLiteral("clock_offset_s"),
                         h.hasClockOffset ? QJsonValue(h.clockOffsetSeconds) : QJsonValue()},
                        {QStringLiteral("clock_skew"), static_cast<qint64>(h.clockSkewSamples)},
                        {QStringLiteral("missing_samples"), static_cast<qint64>(h.missingSamples)},
                        {QStringLiteral("water_covered_s"), h.waterCoveredSeconds},
                        {QStringLiteral("water_uncovered_s"), h.waterUncoveredSeconds},
                        {QStringLiteral("power_source"), h.powerSource},
                        {QStringLiteral("energy_counter"), h.hasEnergyCounter},
                        {QStringLiteral("zone"), h.zone}};
    }
    return out;
}

} // namespace greenpulse::core
