#include "Ledger.h"

#include "JobId.h"
#include "LedgerState.h"
#include "LedgerStore.h"
#include "Logging.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>

namespace greenpulse::core {

namespace {

using Job = LedgerState::Job;
using Host = LedgerState::Host;
using Span = LedgerState::Span;
constexpr TimeNs kOpen = LedgerState::kOpen;

constexpr double kJoulesPerKwh = 3.6e6;

enum class Kind { Power, Flow };

double secondsBetween(TimeNs a, TimeNs b)
{
    return static_cast<double>(b - a) / 1e9;
}

QJsonValue secondsOrNull(TimeNs ns)
{
    return ns == 0 ? QJsonValue() : QJsonValue(toSeconds(ns));
}

// Integrates one interval of one host's power or flow and credits it to the jobs that ran then.
void integrate(LedgerState &state, const LedgerConfig &cfg, LedgerCounters &counters, Host &host,
               Kind kind, TimeNs t0, double v0, TimeNs t1, double v1, const QString &sampleJob)
{
    std::vector<Job *> &cand = state.scratch;
    const bool gap = secondsBetween(t0, t1) > cfg.maxGapSeconds;
    if (gap && kind == Kind::Power) {
        ++counters.gaps;
    }
    state.candidates(host.name, t0, t1, cand);

    // Split points: the interval's ends and every start/end of a candidate inside it.
    std::vector<TimeNs> cuts{t0, t1};
    for (const Job *j : cand) {
        for (const Span &s : j->spans) {
            if (s.start > t0 && s.start < t1) {
                cuts.push_back(s.start);
            }
            if (s.end != kOpen && s.end > t0 && s.end < t1) {
                cuts.push_back(s.end);
            }
        }
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

    // The job a sample names counts only where no control message says otherwise.
    Job *sampleOwner = nullptr;
    if (!sampleJob.isEmpty()) {
        Job &j = state.job(sampleJob);
        if (!j.knownStart()) {
            sampleOwner = &j;
        }
    }

    const double span = static_cast<double>(t1 - t0);
    Job *active[64];
    for (size_t i = 0; i + 1 < cuts.size(); ++i) {
        const TimeNs a = cuts[i];
        const TimeNs b = cuts[i + 1];
        const TimeNs mid = a + (b - a) / 2;
        int n = 0;
        for (Job *j : cand) {
            if (j->activeAt(mid) && n < 64) {
                active[n++] = j;
            }
        }
        if (n == 0) {
            const bool ownerEnded =
                sampleOwner && sampleOwner->fromControl && !sampleOwner->spans.empty() &&
                sampleOwner->spans.back().end != kOpen && a >= sampleOwner->spans.back().end;
            active[n++] = (sampleOwner && !ownerEnded) ? sampleOwner : state.idle;
        }
        const double seconds = secondsBetween(a, b);
        for (int k = 0; k < n; ++k) {
            Job *j = active[k];
            if (j->firstNs == 0 || a < j->firstNs) {
                j->firstNs = a;
            }
            j->lastEndNs = std::max(j->lastEndNs, b);
            if (kind == Kind::Power) {
                j->hosts.insert(host.name);
            }
        }
        if (gap) {
            if (kind == Kind::Power) {
                for (int k = 0; k < n; ++k) {
                    active[k]->uncovered += seconds;
                }
            }
            continue;
        }
        // Linear interpolation of the value at the cut points (exact for the trapezoid rule).
        const double va = v0 + (v1 - v0) * static_cast<double>(a - t0) / span;
        const double vb = v0 + (v1 - v0) * static_cast<double>(b - t0) / span;
        const double area = (va + vb) * 0.5 * seconds / n;
        for (int k = 0; k < n; ++k) {
            Job *j = active[k];
            if (kind == Kind::Power) {
                j->joules += area;
                j->co2eKg += area / kJoulesPerKwh * cfg.pue * cfg.carbonKgPerKwh;
                j->covered += seconds;
                if (b > j->activeUntilNs) {
                    j->activeSeconds += secondsBetween(std::max(a, j->activeUntilNs), b);
                    j->activeUntilNs = b;
                }
            } else {
                j->liters += area / 60.0;
            }
        }
    }
}

// The host of a sample of `kind` at `t`; null (counted as out of order) when the sample is not
// newer than that host's latest of the same kind.
Host *admit(LedgerState &state, LedgerCounters &counters, Kind kind, const QString &hostName,
            TimeNs t)
{
    Host &host = state.host(hostName);
    const LedgerState::Last &latest = kind == Kind::Power ? host.power : host.flow;
    if (latest.has && t <= latest.t) {
        ++counters.outOfOrder;
        return nullptr;
    }
    ++(kind == Kind::Power ? counters.powerSamples : counters.flowSamples);
    return &host;
}

// Integrates the interval since the host's previous sample of `kind`, then makes (t, v) its
// latest.
void take(LedgerState &state, const LedgerConfig &cfg, LedgerCounters &counters, Host &host,
          Kind kind, TimeNs t, double v, const QString &sampleJob)
{
    LedgerState::Last &latest = kind == Kind::Power ? host.power : host.flow;
    if (latest.has) {
        integrate(state, cfg, counters, host, kind, latest.t, latest.v, t, v, sampleJob);
    }
    latest = {true, t, v};
    state.latestSampleNs = std::max(state.latestSampleNs, t);
    host.lastSeen = std::max(host.lastSeen, t);
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
    // Over the time it drew power, not its whole span: `idle` is interrupted by every job.
    s.avgWatts = j.activeSeconds > 0 ? j.joules / j.activeSeconds : 0.0;
    s.samples = j.samples;
    s.exitCode = j.exitCode;
    return s;
}

} // namespace

Ledger::Ledger(LedgerConfig config, const Clock &clock)
    : d(std::make_unique<LedgerState>()), m_config(config), m_clock(clock)
{
    d->idle = &d->job(QLatin1String(jobid::kIdle));
}

Ledger::~Ledger() = default;

bool Ledger::fromFuture(TimeNs t)
{
    const TimeNs now = m_clock.nowNs();
    if (t > now + static_cast<TimeNs>(m_config.futureToleranceSeconds * 1e9)) {
        ++m_counters.fromFuture;
        return true;
    }
    return false;
}

void Ledger::setConfig(const LedgerConfig &config)
{
    m_config = config;
    ++m_revision;
}

Ledger::Result Ledger::addPower(const PowerSample &sample)
{
    if (fromFuture(sample.timestampNs)) {
        return Result::FromFuture;
    }
    Host *admitted = admit(*d, m_counters, Kind::Power, sample.host, sample.timestampNs);
    if (!admitted) {
        return Result::OutOfOrder;
    }
    Host &host = *admitted;
    ++m_revision;

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

    take(*d, m_config, m_counters, host, Kind::Power, sample.timestampNs, sample.watts,
         sample.jobId);

    // Who holds this host now: control jobs active at this instant, else the sample's job, else
    // idle. Each holder gets an equal share of the host's current watts.
    std::vector<Job *> holders;
    std::vector<Job *> &cand = d->scratch;
    d->candidates(host.name, sample.timestampNs - 1, sample.timestampNs + 1, cand);
    for (Job *j : cand) {
        if (j->activeAt(sample.timestampNs)) {
            holders.push_back(j);
        }
    }
    if (holders.empty()) {
        Job *owner = sample.jobId.isEmpty() ? d->idle : &d->job(sample.jobId);
        if (owner->knownStart() && !owner->activeAt(sample.timestampNs)) {
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
    host.current = std::move(holders);
    return Result::Accepted;
}

Ledger::Result Ledger::addFlowTemp(const FlowTempSample &sample)
{
    if (fromFuture(sample.timestampNs)) {
        return Result::FromFuture;
    }
    Host *admitted = admit(*d, m_counters, Kind::Flow, sample.host, sample.timestampNs);
    if (!admitted) {
        return Result::OutOfOrder;
    }
    Host &host = *admitted;
    ++m_revision;
    take(*d, m_config, m_counters, host, Kind::Flow, sample.timestampNs, sample.flowLpm,
         host.sampleJob);
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
    if (fromFuture(message.timestampNs)) {
        return Result::FromFuture;
    }
    if (message.jobId == QLatin1String(jobid::kIdle)) {
        return Result::Accepted; // "idle" is ours; nobody starts or ends it
    }
    if (const auto it = d->jobs.find(message.jobId);
        it != d->jobs.end() && it->second->fromControl &&
        !mayControl(it->second->owner, message.origin)) {
        const bool repeatedStart = message.status == JobStatus::Start && it->second->running();
        return repeatedStart ? Result::Accepted : Result::NotOwner; // the job stays as it is
    }
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
    if (message.status == JobStatus::Start) {
        if (j.running()) {
            return Result::Accepted; // a repeated start changes nothing
        }
        j.spans.push_back({message.timestampNs, kOpen});
        if (j.firstNs == 0 || message.timestampNs < j.firstNs) {
            j.firstNs = message.timestampNs;
        }
        qCDebug(lcLedger) << "job started" << j.id << "on"
                          << (j.targetHost.isEmpty() ? QStringLiteral("every host") : j.targetHost);
    } else {
        if (j.spans.empty()) {
            // An end without a start: the job is known to have ended; its start is unknown, so
            // it gets no span, only what samples naming it carried before this end.
            j.orphanEndNs = message.timestampNs;
        } else if (j.spans.back().end == kOpen) {
            j.spans.back().end = std::max(message.timestampNs, j.spans.back().start);
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
    std::vector<JobSummary> out;
    out.reserve(d->jobs.size());
    for (const auto &[id, j] : d->jobs) {
        if (j.get() != d->idle && !j->fromControl && j->hosts.isEmpty()) {
            continue; // named by a sample whose interval was never integrated yet
        }
        out.push_back(summarize(*j, now));
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
    return summarize(*it->second, m_clock.nowNs());
}

QStringList Ledger::runningJobs() const
{
    QStringList out;
    for (const auto &[id, j] : d->jobs) {
        if (j->running() && j.get() != d->idle) {
            out << id;
        }
    }
    out.sort();
    return out;
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
    o[QLatin1String("samples")] = static_cast<qint64>(job.samples);
    o[QLatin1String("exit_code")] = job.exitCode ? QJsonValue(*job.exitCode) : QJsonValue();
    return o;
}

} // namespace greenpulse::core
