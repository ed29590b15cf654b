#pragma once

// Exact per-job energy, carbon and water accounting. A plain class: no network, no Qt event
// loop, an injected clock. Feed it decoded messages; read totals. See docs/accounting.md.

#include "Clock.h"
#include "LedgerConfig.h"
#include "Protocol.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace greenpulse::core {

class LedgerState;

struct JobSummary
{
    QString jobId;
    bool running = false;
    QStringList hosts;  // hosts that contributed (sorted)
    QString targetHost; // host named by the start message; empty: every host
    TimeNs startNs = 0; // 0: unknown
    TimeNs endNs = 0;   // 0: still running
    double durationSeconds = 0;
    double kwh = 0;
    double co2eKg = 0;
    double liters = 0;
    double currentWatts = 0; // sum over its hosts of their latest watts (its share of them)
    double avgWatts = 0;     // energy / wall time in which some host was integrated for it
    double peakWatts = 0;    // highest currentWatts seen
    double latestTempC = 0;
    double peakTempC = 0;
    bool hasTemp = false;
    double coveredSeconds = 0;   // host-seconds integrated
    double uncoveredSeconds = 0; // host-seconds in gaps longer than maxGap
    double coverage = 0;         // covered / (covered + uncovered), 0 when nothing seen
    quint64 samples = 0;         // power samples that closed an interval of this job
    std::optional<int> exitCode;
    bool fromControl = false; // a control message named it (else only seen in samples)
};

struct HostSummary
{
    QString host;
    double watts = 0;
    double flowLpm = 0;
    double tempC = 0;
    bool hasPower = false;
    bool hasFlow = false;
    QStringList jobs; // jobs running on it now; empty: idle
    TimeNs lastSeenNs = 0;
};

struct LedgerCounters
{
    quint64 powerSamples = 0;
    quint64 flowSamples = 0;
    quint64 controlMessages = 0;
    quint64 outOfOrder = 0; // older than the host's latest sample: dropped
    quint64 fromFuture = 0; // more than futureTolerance ahead of the clock: rejected
    quint64 gaps = 0;       // intervals longer than maxGap, not integrated
};

class Ledger
{
public:
    enum class Result { Accepted, OutOfOrder, FromFuture, NotOwner };

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

    void setConfig(const LedgerConfig &config); // carbon/PUE apply to totals from now on reads
    const LedgerConfig &config() const { return m_config; }

    std::vector<JobSummary> jobs() const; // idle first, then by start time
    std::optional<JobSummary> job(const QString &jobId) const;
    // The control topic that started the job (legacy when unknown or unowned).
    ControlOrigin jobOwner(const QString &jobId) const;
    std::vector<HostSummary> hosts() const;
    QStringList runningJobs() const;
    const LedgerCounters &counters() const { return m_counters; }
    // Bumped on every change; cheap way for readers to know whether to re-read.
    quint64 revision() const { return m_revision; }

    // Persistence: everything needed to continue the totals after a restart.
    QJsonObject toJson() const;
    bool restore(const QJsonObject &state, QString *error);

    // {"jobs": [...]} in the processor's output format (job_id, status, hosts, start, end,
    // duration_s, kwh, co2e_kg, liters, avg_watts, peak_watts, coverage, samples, ...).
    static QJsonObject jobToJson(const JobSummary &job);

private:
    bool fromFuture(TimeNs t); // more than futureTolerance ahead of the clock: counted

    std::unique_ptr<LedgerState> d;
    LedgerConfig m_config;
    const Clock &m_clock;
    LedgerCounters m_counters;
    quint64 m_revision = 0;
};

} // namespace greenpulse::core
