#pragma once

// Exact per-job energy, carbon and water accounting. A plain class: no network, no Qt event
// loop, an injected clock. Feed it decoded messages; read totals. See docs/accounting.md.

#include "accounting/LedgerConfig.h"
#include "accounting/LedgerTypes.h"
#include "base/Clock.h"
#include "protocol/Protocol.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace greenpulse::core {

class LedgerState; // LedgerState_p.h

class Ledger
{
public:
    // FromFuture is no longer returned (a skewed clock is re-stamped, see docs/accounting.md).
    enum class Result { Accepted, OutOfOrder, FromFuture, TooManyIds, IdRateLimited, NotOwner };

    Ledger(LedgerConfig config, const Clock &clock);
    ~Ledger();
    Ledger(const Ledger &) = delete;
    Ledger &operator=(const Ledger &) = delete;

    Result addPower(const PowerSample &sample);
    Result addFlowTemp(const FlowTempSample &sample);
    // Start/end of a job. An end for an unknown job creates it (ended). A second start of a
    // running job is ignored; a start after its end reopens it. An end or a restart of a job
    // started from another control topic than the message's may be refused (NotOwner, nothing
    // changes; see mayControl() in ControlOrigin.h).
    Result applyControl(const ControlMessage &message);

    // Carbon intensity and PUE apply to energy integrated from now on; the carbon already in the
    // totals is kept (docs/accounting.md, "Carbon and water").
    void setConfig(const LedgerConfig &config);
    const LedgerConfig &config() const { return m_config; }

    // A grid zone's carbon intensity from its timestamp on (docs/footprint.md, "Carbon that
    // varies"; LedgerGrid.cpp). TooManyIds: a new zone beyond the bound (counted).
    Result addGridIntensity(const GridIntensity &value);
    std::vector<ZoneSummary> zones() const; // by name
    const GridCounters &gridCounters() const;
    // {"values", "repeats", "late", "dropped", "zones_refused", "stale_s", "fallback_s",
    // "zones": {"<zone>": {"g_co2e_per_kwh", "from", "source", "kind", "estimated", "stale"}}}
    QJsonObject gridJson() const;

    std::vector<JobSummary> jobs() const; // idle first, then by start time
    std::optional<JobSummary> job(const QString &jobId) const;
    // The control topic that started the job (legacy when unknown or unowned).
    ControlOrigin jobOwner(const QString &jobId) const;
    std::vector<HostSummary> hosts() const;
    const LedgerCounters &counters() const { return m_counters; }
    // Bumped on every change; cheap way for readers to know whether to re-read.
    quint64 revision() const { return m_revision; }

    // The instant a message with timestamp `t` received at `receiptNs` is accounted at: `t`, or
    // the receipt time when `t` is outside the clock bounds (docs/accounting.md, "Clocks").
    TimeNs trustedTime(TimeNs t, TimeNs receiptNs, bool fromReceipt) const;

    // Memory bounds (docs/accounting.md, "Bounds"). Ended jobs that no host's latest sample names,
    // whose end is older than max(minAgeNs, maxClockBehind) at `nowNs`: safe to forget.
    QStringList evictableJobs(TimeNs nowNs, TimeNs minAgeNs) const;
    // Drops an ended job from memory (and from the state file); false if it is running, still
    // named by a host's latest sample, unknown or "idle".
    bool forgetJob(const QString &jobId);
    // Drops hosts without a sample for hostExpirySeconds at `nowNs` that no running control job
    // targets; returns how many.
    int expireHosts(TimeNs nowNs);

    // Persistence: everything needed to continue the totals after a restart.
    QJsonObject toJson() const;
    bool restore(const QJsonObject &state, QString *error);

    // {"jobs": [...]} in the processor's output format (job_id, status, hosts, start, end,
    // duration_s, kwh, co2e_kg, liters, avg_watts, peak_watts, coverage, samples, ...).
    static QJsonObject jobToJson(const JobSummary &job);
    // {"<host>": {"clock_offset_s", "clock_skew", "missing_samples", "water_covered_s",
    // "water_uncovered_s"}}: what the counters report per host.
    // The job details of jobToJson: "target_hosts" (a job on several hosts), "user", "name",
    // "gpus" ({host: [devices]}, "*" for every host) and "exit_state".
    static void jobDetailsToJson(const JobSummary &job, QJsonObject *o);
    static QJsonObject hostsToJson(const std::vector<HostSummary> &hosts);

private:
    // The timestamp to account a message at: its own, or its receipt time when it is outside
    // the clock bounds (counted). Records the host's clock offset.
    TimeNs judgeClock(TimeNs t, TimeNs receiptNs, bool fromReceipt, HostClock *clock);
    // Whether a message that creates `newIds` new ids (new hosts among them: newHosts) may;
    // counts and returns the rejection otherwise. O(1).
    std::optional<Result> gateNewIds(int newHosts, int newJobs);

    std::unique_ptr<LedgerState> d;
    LedgerConfig m_config;
    const Clock &m_clock;
    LedgerCounters m_counters;
    quint64 m_revision = 0;
    double m_idTokens = 0;   // the new-id token bucket
    TimeNs m_idTokensNs = 0; // when it was last refilled
};

} // namespace greenpulse::core
