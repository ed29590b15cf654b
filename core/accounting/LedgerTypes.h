#pragma once

// What the Ledger reports: per-job and per-host summaries, its counters, and a host's clock. Plain
// values, shared by the Ledger's public face and its private state and store.

#include "base/Timestamp.h"
#include "protocol/Messages.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace greenpulse::core {

// A host's clock against our receipt time (docs/accounting.md, "Clocks").
struct HostClock
{
    TimeNs offsetNs = 0;    // its latest sample's timestamp minus our receipt time
    bool hasOffset = false; // a timestamped sample was received (not read from state)
    quint64 restamped = 0;  // samples re-stamped with their receipt time (clock_skew)
};

// A job's footprint beyond IT energy (docs/footprint.md): facility energy, water, embodied
// carbon, and which carbon intensities its carbon was charged at.
struct JobFootprint
{
    static constexpr int kMaxSources = 8; // carbon sources listed per job; more are counted

    double facilityKwh = 0;     // IT kWh x PUE
    double waterOnsiteL = 0;    // IT kWh x WUE
    double waterOffsiteL = 0;   // facility kWh x EWIF
    double embodiedKg = 0;      // its share of its hosts' embodied carbon, by time held
    double staleSeconds = 0;    // host-seconds charged at a stale zone's last value
    double fallbackSeconds = 0; // host-seconds charged at the constant (no zone or no value yet)
    double minGPerKwh = 0;      // lowest and highest intensity its carbon was charged at
    double maxGPerKwh = 0;
    bool hasIntensity = false; // some carbon was charged (min/max are set)
    // "<source>@<zone>" for grid values, "constant" for the --carbon-intensity fallback.
    QStringList sources;
    int moreSources = 0; // sources beyond kMaxSources, not listed

    double waterL() const { return waterOnsiteL + waterOffsiteL; }
};

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
    double coveredSeconds = 0;        // host-seconds integrated
    double uncoveredSeconds = 0;      // host-seconds in gaps longer than maxGap
    double coverage = 0;              // covered / (covered + uncovered), 0 when nothing seen
    double waterCoveredSeconds = 0;   // host-seconds of flow integrated
    double waterUncoveredSeconds = 0; // host-seconds of flow in gaps (or lost samples)
    double waterCoverage = 0;         // as coverage, for flow
    // A flow sensor on one of its hosts has reported during the job; without one its litres are
    // not a measured 0 but unknown ("no sensor").
    bool hasFlowSensor() const { return waterCoveredSeconds > 0 || waterUncoveredSeconds > 0; }
    quint64 samples = 0; // power samples that closed an interval of this job
    std::optional<int> exitCode;
    bool fromControl = false; // a control message named it (else only seen in samples)
    // Job details (docs/protocol.md, "Job details"; docs/accounting.md, "Jobs on several hosts").
    QStringList targetHosts; // the hosts of a job on several hosts (sorted); else empty
    QString user;
    QString name;
    QMap<QString, QStringList> gpus; // host (empty: every host) -> devices it holds
    QString exitState;               // completed, failed, cancelled, timeout...
    JobFootprint footprint;          // facility energy, water, embodied carbon
    double sciKg() const { return co2eKg + footprint.embodiedKg; } // operational + embodied
    // Running jobs: host-seconds its hosts have been silent up to now beyond maxGap, not yet in
    // uncoveredSeconds but already counted in coverage (docs/accounting.md, "Silent hosts").
    double silentSeconds = 0;
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
    double clockOffsetSeconds = 0; // its latest sample's timestamp minus our receipt time
    bool hasClockOffset = false;   // a timestamped sample was received (not read from state)
    quint64 clockSkewSamples = 0;  // samples re-stamped with their receipt time
    quint64 missingSamples = 0;    // "seq" numbers never received
    double waterCoveredSeconds = 0;
    double waterUncoveredSeconds = 0;
    // Where its latest power sample says the power comes from: "rapl", "nvml", "sim" or a comma
    // list; empty when the publisher does not say (docs/protocol.md, "Energy counters").
    QString powerSource;
    std::vector<PowerComponent> components; // its latest sample's breakdown (may be empty)
    bool hasEnergyCounter = false;          // its latest power sample carried a counter
    // Its grid zone: its samples' "zone", else [host-zones], else --grid-zone; empty: none (the
    // constant --carbon-intensity applies; docs/footprint.md).
    QString zone;
    // Our clock when its latest sample arrived (lastSeenNs is the sample's own time); after a
    // restart, before it speaks again, its last sample's time. Ages and staleness use this.
    TimeNs lastHeardNs = 0;
};

// A grid zone's carbon intensity as the ledger holds it (docs/footprint.md).
struct ZoneSummary
{
    QString zone;
    double gCo2ePerKwh = 0; // its newest value
    TimeNs fromNs = 0;      // from when the newest value holds (as accounted)
    QString source;
    IntensityKind kind = IntensityKind::Lifecycle;
    bool estimated = false;
    TimeNs heardNs = 0; // when a message for it was last received
    bool stale = false; // not heard from for gridStaleSeconds
    int values = 0;     // values kept in its timeline
};

// What the grid intensity feeds did (counters JSON "grid"; docs/footprint.md).
struct GridCounters
{
    quint64 values = 0;         // intensity values taken
    quint64 repeats = 0;        // the same value again (refreshes the zone, changes nothing)
    quint64 late = 0;           // stamped before what was already integrated: applied from there
    quint64 dropped = 0;        // the oldest values of a zone beyond maxValuesPerZone
    quint64 zonesRefused = 0;   // values for a zone beyond maxGridZones
    double staleSeconds = 0;    // host-seconds charged at a stale zone's last value
    double fallbackSeconds = 0; // host-seconds of hosts with a zone charged at the constant
};

struct LedgerCounters
{
    quint64 powerSamples = 0;
    quint64 flowSamples = 0;
    quint64 controlMessages = 0;
    quint64 outOfOrder = 0; // older than the host's latest sample: dropped
    quint64 fromFuture = 0; // no longer counted (clock_skew re-stamps instead); kept for old files
    quint64 gaps = 0;       // power intervals not integrated (longer than maxGap, or lost samples)
    quint64 flowGaps = 0;   // the same for flow
    quint64 missingSamples = 0;     // "seq" numbers skipped
    quint64 seqRestarts = 0;        // "seq" not above the last one: the publisher restarted
    quint64 counterIntervals = 0;   // power intervals whose energy is a counter difference
    quint64 counterRestarts = 0;    // a new counter_id: that interval takes the trapezoid rule
    quint64 counterRegressions = 0; // a counter that went down under the same id: trapezoid
    quint64 clockSkew = 0;          // timestamps re-stamped with their receipt time
    quint64 tooManyIds = 0;         // rejected: a new id beyond maxHosts / maxJobs
    quint64 idRateLimited = 0;      // rejected: a new id beyond maxNewIdsPerMinute
    quint64 hostsExpired = 0;       // silent hosts dropped from memory
    quint64 jobsForgotten = 0;      // ended jobs dropped from memory
    // Power intervals in which the GPUs jobs hold drew more than the whole host: their energy was
    // scaled down to the host's (docs/accounting.md, "GPUs a job holds").
    quint64 gpuEnergyClamped = 0;
};

} // namespace greenpulse::core
