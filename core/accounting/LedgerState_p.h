#pragma once

// The Ledger's data behind its public face: every job and host it knows, and the index of which
// control jobs may have run on which host. Plain data with lookups; the accounting rules live in
// Ledger.cpp, the state file format in LedgerStore.cpp.

#include "accounting/GridIntensities_p.h"
#include "accounting/LedgerTypes.h"
#include "protocol/JobId.h"
#include "protocol/Protocol.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace greenpulse::core {

namespace ledgerdevices {
class DeviceSplit; // LedgerDevices_p.h
}

class LedgerState
{
public:
    static constexpr TimeNs kOpen = std::numeric_limits<TimeNs>::max(); // a span not ended yet

    struct Span
    {
        TimeNs start = 0;
        TimeNs end = kOpen;
    };

    struct Job
    {
        QString id;
        bool fromControl = false;
        QString targetHost;         // control jobs: empty = every host
        ControlOrigin owner;        // control jobs: the topic that started it (ControlOrigin.h)
        std::vector<Span> spans;    // control jobs: when it ran
        TimeNs orphanEndNs = 0;     // an end arrived for a job whose start we never saw
        bool sampleRunning = false; // sample-only jobs: some host's latest sample carries it
        int reportingHosts = 0;
        TimeNs firstNs = 0;
        TimeNs lastEndNs = 0;
        double joules = 0;
        double liters = 0;
        double co2eKg = 0;
        double covered = 0;        // host-seconds integrated
        double uncovered = 0;      // host-seconds in gaps
        double waterCovered = 0;   // host-seconds of flow integrated
        double waterUncovered = 0; // host-seconds of flow in gaps
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
        // A job on several hosts (a start naming another host while it runs: a multi-node Slurm
        // job; LedgerNodes.cpp): each host's own spans, keyed by host; `spans` is then their
        // envelope, from the first start to the last end. Empty for a job on one or every host.
        std::map<QString, std::vector<Span>> nodes;
        // Job details from its control messages (docs/protocol.md, "Job details").
        QString user;
        QString name;
        std::map<QString, QStringList> gpus; // host (empty: every host) -> devices it holds
        QString exitState;
        JobFootprint footprint; // facility energy, water, embodied carbon (LedgerFootprint.cpp)

        // Inline: the accounting asks these for every candidate of every interval.
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
        // activeAt() on one host: a job on several hosts runs on each in that host's spans.
        bool activeOn(const QString &host, TimeNs t) const
        {
            if (nodes.empty()) {
                return activeAt(t);
            }
            const auto it = nodes.find(host);
            if (it == nodes.end()) {
                return false;
            }
            for (const Span &s : it->second) {
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
        bool hasSeq = false; // the sample carried "seq"
        quint64 seq = 0;
        bool restored = false; // read from the state file: the next interval may hide a loss
        // Power only: the sample's energy counter (docs/protocol.md, "Energy counters").
        bool hasCounter = false;
        double energyJ = 0;
        QString counterId;
    };

    struct Host
    {
        QString name;
        Last power;
        Last flow;
        QString sampleJob;                      // job_id of the latest power sample
        QString powerSource;                    // "source" of the latest power sample
        std::vector<PowerComponent> components; // "components" of the latest power sample
        QString componentsCounterId;            // its "counter_id" (its components' "j")
        double temp = 0;
        bool hasTemp = false;
        TimeNs lastSeen = 0;
        std::vector<Job *> current; // jobs credited with its power at its latest sample
        double waterCovered = 0;    // seconds of flow integrated
        double waterUncovered = 0;  // seconds of flow in gaps
        quint64 missingSamples = 0; // "seq" numbers never received
        HostClock clock;
        QString zone; // "zone" of the latest power sample (empty: the config decides)
        TimeNs lastHeard = 0; // our clock when its latest sample arrived (not saved; 0: none yet)
    };

    LedgerState();
    ~LedgerState();
    LedgerState(const LedgerState &) = delete;
    LedgerState &operator=(const LedgerState &) = delete;

    Job &job(const QString &id);     // created on first use
    Host &host(const QString &name); // created on first use

    // Where a control job is listed as a candidate for attribution: the list of its target host,
    // or the one for every host.
    std::vector<Job *> &candidateList(const Job &job);
    // Control jobs that may have run on `hostName` during (t0, t1].
    void candidates(const QString &hostName, TimeNs t0, TimeNs t1, std::vector<Job *> &out) const;
    // Drops ended jobs from the candidate lists once they can no longer matter: an hour after
    // their end, measured on the samples' own clock (a host lagging more than that behind the
    // newest sample no longer splits its intervals at such a job's end).
    void pruneCandidates(TimeNs now);

    std::unordered_map<QString, std::unique_ptr<Job>> jobs;
    std::unordered_map<QString, Host> hosts;
    std::vector<Job *> allHostJobs;              // control jobs with no target host
    QHash<QString, std::vector<Job *>> hostJobs; // control jobs per target host

    Job *idle = nullptr;        // time with no job (set by the Ledger)
    std::vector<Job *> scratch; // reused per sample: no allocation on the hot path
    std::vector<Job *> active;  // reused per interval piece: the jobs that share it
    std::vector<Job *> holders; // reused per sample: who holds the host now
    std::vector<TimeNs> cuts;   // reused per interval: its split points
    std::vector<double> shares; // reused per interval piece: each active job's part of it
    // Reused per interval whose ends carry a breakdown: the GPUs jobs hold (LedgerDevices_p.h).
    std::unique_ptr<ledgerdevices::DeviceSplit> devices;
    TimeNs latestSampleNs = 0; // newest sample time over every host
    GridIntensities grid;       // carbon intensity per grid zone (docs/footprint.md)
};

} // namespace greenpulse::core
