#include "Ledger.h"

#include "JobId.h"
#include "Logging.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace greenpulse::core {

namespace {

constexpr double kJoulesPerKwh = 3.6e6;
constexpr TimeNs kOpen = std::numeric_limits<TimeNs>::max();
// Ended jobs stay candidates for attribution this long after their end, so a host whose samples
// lag behind the control messages still splits its intervals at the right instant.
constexpr TimeNs kEndedCandidateNs = 3600LL * 1'000'000'000LL;

double secondsBetween(TimeNs a, TimeNs b)
{
    return static_cast<double>(b - a) / 1e9;
}

struct Span
{
    TimeNs start = 0;
    TimeNs end = kOpen;
};

} // namespace

enum class Kind { Power, Flow };

struct Ledger::Impl
{
    struct Job
    {
        QString id;
        bool fromControl = false;
        QString targetHost;         // control jobs: empty = every host
        std::vector<Span> spans;    // control jobs: when it ran
        TimeNs orphanEndNs = 0;     // an end arrived for a job whose start we never saw
        bool sampleRunning = false; // sample-only jobs: some host's latest sample carries it
        int reportingHosts = 0;
        TimeNs firstNs = 0;
        TimeNs lastEndNs = 0;
        double joules = 0;
        double liters = 0;
        double co2eKg = 0;
        double covered = 0;   // host-seconds integrated
        double uncovered = 0; // host-seconds in gaps
        // Wall-clock seconds in which at least one of its hosts was integrated for it (the union
        // of its covered intervals, taken as they arrive), for the average power.
        double activeSeconds = 0;
        TimeNs activeUntilNs = 0;
        quint64 samples = 0;
        double currentWatts = 0;
        double peakWatts = 0;
        double latestTemp = 0;
        double peakTemp = 0;
        bool hasTemp = false;
        std::optional<int> exitCode;
        QSet<QString> hosts;
        QHash<QString, double> hostWatts; // this job's share of each host's latest watts

        bool running() const
        {
            if (fromControl) {
                return !spans.empty() && spans.back().end == kOpen;
            }
            return sampleRunning || id == QLatin1String(jobid::kIdle);
        }
        bool activeAt(TimeNs t) const // control spans only: start <= t < end
        {
            for (const Span &s : spans) {
                if (s.start <= t && t < s.end) {
                    return true;
                }
            }
            return false;
        }
        TimeNs endNs() const
        {
            if (!spans.empty()) {
                return spans.back().end;
            }
            return orphanEndNs != 0 ? orphanEndNs : kOpen;
        }
        bool knownStart() const { return fromControl && !spans.empty() && spans.front().start > 0; }
    };

    struct Last
    {
        bool has = false;
        TimeNs t = 0;
        double v = 0;
    };

    struct Host
    {
        QString name;
        Last power;
        Last flow;
        QString sampleJob; // job_id of the latest power sample
        double temp = 0;
        bool hasTemp = false;
        TimeNs lastSeen = 0;
        std::vector<Job *> current; // jobs credited with its power at its latest sample
    };

    std::unordered_map<QString, std::unique_ptr<Job>> jobs;
    std::unordered_map<QString, Host> hosts;
    std::vector<Job *> allHostJobs;              // control jobs with no target host
    QHash<QString, std::vector<Job *>> hostJobs; // control jobs per target host

    Job *idle = nullptr;
    std::vector<Job *> scratch; // reused per sample: no allocation on the hot path
    TimeNs latestSampleNs = 0;  // newest sample time over every host

    void integrate(const LedgerConfig &cfg, LedgerCounters &counters, Host &host, Kind kind,
                   TimeNs t0, double v0, TimeNs t1, double v1, const QString &sampleJob,
                   std::vector<Job *> &cand);
    static JobSummary summarize(const Job &j, TimeNs now);

    Job &job(const QString &id)
    {
        auto it = jobs.find(id);
        if (it == jobs.end()) {
            auto j = std::make_unique<Job>();
            j->id = id;
            it = jobs.emplace(id, std::move(j)).first;
        }
        return *it->second;
    }

    Host &host(const QString &name)
    {
        auto it = hosts.find(name);
        if (it == hosts.end()) {
            Host h;
            h.name = name;
            it = hosts.emplace(name, std::move(h)).first;
        }
        return it->second;
    }

    // Control jobs that may have run on `host` during (t0, t1].
    void candidates(const QString &hostName, TimeNs t0, TimeNs t1, std::vector<Job *> &out) const
    {
        out.clear();
        auto consider = [&](Job *j) {
            for (const Span &s : j->spans) {
                if (s.start < t1 && s.end > t0) {
                    out.push_back(j);
                    return;
                }
            }
        };
        for (Job *j : allHostJobs) {
            consider(j);
        }
        const auto it = hostJobs.constFind(hostName);
        if (it != hostJobs.constEnd()) {
            for (Job *j : it.value()) {
                consider(j);
            }
        }
    }

    // Drops ended jobs from the candidate lists once they can no longer matter: an hour after
    // their end, measured on the samples' own clock (a host lagging more than that behind the
    // newest sample no longer splits its intervals at such a job's end).
    void pruneCandidates(TimeNs now)
    {
        auto stale = [now](Job *j) {
            return !j->running() && !j->spans.empty() && j->spans.back().end != kOpen &&
                   now - j->spans.back().end > kEndedCandidateNs;
        };
        allHostJobs.erase(std::remove_if(allHostJobs.begin(), allHostJobs.end(), stale),
                          allHostJobs.end());
        for (auto it = hostJobs.begin(); it != hostJobs.end();) {
            auto &v = it.value();
            v.erase(std::remove_if(v.begin(), v.end(), stale), v.end());
            it = v.empty() ? hostJobs.erase(it) : std::next(it);
        }
    }
};

Ledger::Ledger(LedgerConfig config, const Clock &clock)
    : d(std::make_unique<Impl>()), m_config(config), m_clock(clock)
{
    d->idle = &d->job(QLatin1String(jobid::kIdle));
}

Ledger::~Ledger() = default;

void Ledger::setConfig(const LedgerConfig &config)
{
    m_config = config;
    ++m_revision;
}

// Integrates one interval of one host's power or flow and credits it to the jobs that ran then.
void Ledger::Impl::integrate(const LedgerConfig &cfg, LedgerCounters &counters, Host &host,
                             Kind kind, TimeNs t0, double v0, TimeNs t1, double v1,
                             const QString &sampleJob, std::vector<Job *> &cand)
{
    const bool gap = secondsBetween(t0, t1) > cfg.maxGapSeconds;
    if (gap && kind == Kind::Power) {
        ++counters.gaps;
    }
    candidates(host.name, t0, t1, cand);

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
        Job &j = job(sampleJob);
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
            active[n++] = (sampleOwner && !ownerEnded) ? sampleOwner : idle;
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

Ledger::Result Ledger::addPower(const PowerSample &sample)
{
    const TimeNs now = m_clock.nowNs();
    if (sample.timestampNs > now + static_cast<TimeNs>(m_config.futureToleranceSeconds * 1e9)) {
        ++m_counters.fromFuture;
        return Result::FromFuture;
    }
    Impl::Host &host = d->host(sample.host);
    if (host.power.has && sample.timestampNs <= host.power.t) {
        ++m_counters.outOfOrder;
        return Result::OutOfOrder;
    }
    ++m_counters.powerSamples;
    ++m_revision;

    // Sample-only jobs run while some host's latest sample names them.
    if (host.sampleJob != sample.jobId) {
        if (!host.sampleJob.isEmpty()) {
            Impl::Job &old = d->job(host.sampleJob);
            if (--old.reportingHosts <= 0) {
                old.reportingHosts = 0;
                old.sampleRunning = false;
            }
        }
        if (!sample.jobId.isEmpty()) {
            Impl::Job &now_ = d->job(sample.jobId);
            ++now_.reportingHosts;
            now_.sampleRunning = true;
        }
        host.sampleJob = sample.jobId;
    }

    std::vector<Impl::Job *> &cand = d->scratch;
    if (host.power.has) {
        d->integrate(m_config, m_counters, host, Kind::Power, host.power.t, host.power.v,
                     sample.timestampNs, sample.watts, sample.jobId, cand);
    }
    host.power = {true, sample.timestampNs, sample.watts};
    d->latestSampleNs = std::max(d->latestSampleNs, sample.timestampNs);
    host.lastSeen = std::max(host.lastSeen, sample.timestampNs);

    // Who holds this host now: control jobs active at this instant, else the sample's job, else
    // idle. Each holder gets an equal share of the host's current watts.
    std::vector<Impl::Job *> holders;
    d->candidates(host.name, sample.timestampNs - 1, sample.timestampNs + 1, cand);
    for (Impl::Job *j : cand) {
        if (j->activeAt(sample.timestampNs)) {
            holders.push_back(j);
        }
    }
    if (holders.empty()) {
        Impl::Job *owner = sample.jobId.isEmpty() ? d->idle : &d->job(sample.jobId);
        if (owner->knownStart() && !owner->activeAt(sample.timestampNs)) {
            owner = d->idle;
        }
        holders.push_back(owner);
    }
    for (Impl::Job *j : host.current) {
        if (std::find(holders.begin(), holders.end(), j) == holders.end()) {
            j->currentWatts -= j->hostWatts.take(host.name);
        }
    }
    const double share = sample.watts / static_cast<double>(holders.size());
    for (Impl::Job *j : holders) {
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
    const TimeNs now = m_clock.nowNs();
    if (sample.timestampNs > now + static_cast<TimeNs>(m_config.futureToleranceSeconds * 1e9)) {
        ++m_counters.fromFuture;
        return Result::FromFuture;
    }
    Impl::Host &host = d->host(sample.host);
    if (host.flow.has && sample.timestampNs <= host.flow.t) {
        ++m_counters.outOfOrder;
        return Result::OutOfOrder;
    }
    ++m_counters.flowSamples;
    ++m_revision;
    std::vector<Impl::Job *> &cand = d->scratch;
    if (host.flow.has) {
        d->integrate(m_config, m_counters, host, Kind::Flow, host.flow.t, host.flow.v,
                     sample.timestampNs, sample.flowLpm, host.sampleJob, cand);
    }
    host.flow = {true, sample.timestampNs, sample.flowLpm};
    d->latestSampleNs = std::max(d->latestSampleNs, sample.timestampNs);
    host.temp = sample.tempC;
    host.hasTemp = true;
    host.lastSeen = std::max(host.lastSeen, sample.timestampNs);
    for (Impl::Job *j : host.current) {
        j->latestTemp = sample.tempC;
        j->peakTemp = j->hasTemp ? std::max(j->peakTemp, sample.tempC) : sample.tempC;
        j->hasTemp = true;
    }
    return Result::Accepted;
}

Ledger::Result Ledger::applyControl(const ControlMessage &message)
{
    const TimeNs now = m_clock.nowNs();
    if (message.timestampNs > now + static_cast<TimeNs>(m_config.futureToleranceSeconds * 1e9)) {
        ++m_counters.fromFuture;
        return Result::FromFuture;
    }
    if (message.jobId == QLatin1String(jobid::kIdle)) {
        return Result::Accepted; // "idle" is ours; nobody starts or ends it
    }
    ++m_counters.controlMessages;
    ++m_revision;
    Impl::Job &j = d->job(message.jobId);
    const bool wasControl = j.fromControl;
    if (!wasControl) {
        j.fromControl = true;
        j.targetHost = message.host;
        if (message.host.isEmpty()) {
            d->allHostJobs.push_back(&j);
        } else {
            d->hostJobs[message.host].push_back(&j);
        }
    } else if (message.status == JobStatus::Start && !j.running()) {
        // Reopened: make sure it is a candidate again.
        auto &list = j.targetHost.isEmpty() ? d->allHostJobs : d->hostJobs[j.targetHost];
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

JobSummary Ledger::Impl::summarize(const Job &j, TimeNs now)
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

std::vector<JobSummary> Ledger::jobs() const
{
    const TimeNs now = m_clock.nowNs();
    std::vector<JobSummary> out;
    out.reserve(d->jobs.size());
    for (const auto &[id, j] : d->jobs) {
        if (j.get() != d->idle && !j->fromControl && j->hosts.isEmpty()) {
            continue; // named by a sample whose interval was never integrated yet
        }
        out.push_back(Impl::summarize(*j, now));
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

std::optional<JobSummary> Ledger::job(const QString &jobId) const
{
    const auto it = d->jobs.find(jobId);
    if (it == d->jobs.end()) {
        return std::nullopt;
    }
    return Impl::summarize(*it->second, m_clock.nowNs());
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
        for (const Impl::Job *j : h.current) {
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

} // namespace greenpulse::core

// ---- persistence --------------------------------------------------------------------------

namespace greenpulse::core {

namespace {
QJsonValue nsToJson(TimeNs ns)
{
    return ns == 0 ? QJsonValue() : QJsonValue(QString::number(ns));
}
TimeNs nsFromJson(const QJsonValue &v)
{
    return v.isString() ? v.toString().toLongLong() : static_cast<TimeNs>(v.toDouble());
}
QJsonValue secondsOrNull(TimeNs ns)
{
    return ns == 0 ? QJsonValue() : QJsonValue(toSeconds(ns));
}
} // namespace

QJsonObject Ledger::toJson() const
{
    QJsonArray jobs;
    for (const auto &[id, j] : d->jobs) {
        QJsonObject o;
        o[QLatin1String("id")] = id;
        o[QLatin1String("from_control")] = j->fromControl;
        o[QLatin1String("target_host")] = j->targetHost;
        QJsonArray spans;
        for (const Span &s : j->spans) {
            spans.append(
                QJsonArray{nsToJson(s.start), s.end == kOpen ? QJsonValue() : nsToJson(s.end)});
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
        jobs.append(o);
    }
    QJsonArray hosts;
    for (const auto &[name, h] : d->hosts) {
        QJsonObject o;
        o[QLatin1String("name")] = name;
        if (h.power.has) {
            o[QLatin1String("power")] = QJsonArray{nsToJson(h.power.t), h.power.v};
        }
        if (h.flow.has) {
            o[QLatin1String("flow")] = QJsonArray{nsToJson(h.flow.t), h.flow.v};
        }
        o[QLatin1String("sample_job")] = h.sampleJob;
        if (h.hasTemp) {
            o[QLatin1String("temp")] = h.temp;
        }
        o[QLatin1String("last_seen")] = nsToJson(h.lastSeen);
        QJsonArray current;
        for (const Impl::Job *j : h.current) {
            current.append(j->id);
        }
        o[QLatin1String("current")] = current;
        hosts.append(o);
    }
    QJsonObject c;
    c[QLatin1String("power_samples")] = QString::number(m_counters.powerSamples);
    c[QLatin1String("flow_samples")] = QString::number(m_counters.flowSamples);
    c[QLatin1String("control_messages")] = QString::number(m_counters.controlMessages);
    c[QLatin1String("out_of_order")] = QString::number(m_counters.outOfOrder);
    c[QLatin1String("from_future")] = QString::number(m_counters.fromFuture);
    c[QLatin1String("gaps")] = QString::number(m_counters.gaps);
    QJsonObject root;
    root[QLatin1String("format")] = QStringLiteral("greenpulse-ledger");
    root[QLatin1String("version")] = 1;
    root[QLatin1String("jobs")] = jobs;
    root[QLatin1String("hosts")] = hosts;
    root[QLatin1String("counters")] = c;
    return root;
}

bool Ledger::restore(const QJsonObject &state, QString *error)
{
    if (state.value(QLatin1String("format")).toString() != QLatin1String("greenpulse-ledger") ||
        state.value(QLatin1String("version")).toInt() != 1) {
        if (error) {
            *error = QStringLiteral("not a GreenPulse ledger (version 1) state");
        }
        return false;
    }
    auto fresh = std::make_unique<Impl>();
    for (const QJsonValue &v : state.value(QLatin1String("jobs")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString id = o.value(QLatin1String("id")).toString();
        if (id.isEmpty()) {
            continue;
        }
        Impl::Job &j = fresh->job(id);
        j.fromControl = o.value(QLatin1String("from_control")).toBool();
        j.targetHost = o.value(QLatin1String("target_host")).toString();
        for (const QJsonValue &sv : o.value(QLatin1String("spans")).toArray()) {
            const QJsonArray a = sv.toArray();
            Span s;
            s.start = nsFromJson(a.at(0));
            s.end = a.at(1).isNull() ? kOpen : nsFromJson(a.at(1));
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
            (j.targetHost.isEmpty() ? fresh->allHostJobs : fresh->hostJobs[j.targetHost])
                .push_back(&j);
        }
    }
    for (const QJsonValue &v : state.value(QLatin1String("hosts")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString name = o.value(QLatin1String("name")).toString();
        if (name.isEmpty()) {
            continue;
        }
        Impl::Host &h = fresh->host(name);
        if (o.contains(QLatin1String("power"))) {
            const QJsonArray a = o.value(QLatin1String("power")).toArray();
            h.power = {true, nsFromJson(a.at(0)), a.at(1).toDouble()};
        }
        if (o.contains(QLatin1String("flow"))) {
            const QJsonArray a = o.value(QLatin1String("flow")).toArray();
            h.flow = {true, nsFromJson(a.at(0)), a.at(1).toDouble()};
        }
        h.sampleJob = o.value(QLatin1String("sample_job")).toString();
        h.hasTemp = o.contains(QLatin1String("temp"));
        h.temp = o.value(QLatin1String("temp")).toDouble();
        h.lastSeen = nsFromJson(o.value(QLatin1String("last_seen")));
        for (const QJsonValue &id : o.value(QLatin1String("current")).toArray()) {
            h.current.push_back(&fresh->job(id.toString()));
        }
    }
    fresh->idle = &fresh->job(QLatin1String(jobid::kIdle));
    const QJsonObject c = state.value(QLatin1String("counters")).toObject();
    auto counter = [&c](const char *key) {
        return c.value(QLatin1String(key)).toString().toULongLong();
    };
    m_counters.powerSamples = counter("power_samples");
    m_counters.flowSamples = counter("flow_samples");
    m_counters.controlMessages = counter("control_messages");
    m_counters.outOfOrder = counter("out_of_order");
    m_counters.fromFuture = counter("from_future");
    m_counters.gaps = counter("gaps");
    d = std::move(fresh);
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
