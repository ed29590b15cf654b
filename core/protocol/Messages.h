#pragma once

// The messages of the wire contract (docs/protocol.md): samples, control messages, rejections and
// the decoder's limits. Plain values.

#include "base/Timestamp.h"
#include "protocol/ControlOrigin.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <variant>
#include <vector>

namespace greenpulse::core {

// Limits enforced by the decoder.
inline constexpr qsizetype kMaxPayloadBytes = 64 * 1024;
inline constexpr double kMaxWatts = 100'000.0;
inline constexpr double kMinTempC = -50.0;
inline constexpr double kMaxTempC = 150.0;
inline constexpr qsizetype kMaxIdLength = 256;
// Energy counters: joules a counter may reach (10 MW for 30 years is 9.5e15), and the parts of one
// host's power one message may list.
inline constexpr double kMaxEnergyJ = 1e16;
inline constexpr int kMaxComponents = 64;
// "seq" is an unsigned integer a double holds exactly (up to 2^53).
inline constexpr quint64 kMaxSeq = 9'007'199'254'740'992ULL;
// A control message's "gpus": at most this many devices, device indices up to kMaxGpuIndex.
inline constexpr int kMaxJobGpus = 64;
inline constexpr int kMaxGpuIndex = 4095;
// "exit_state": a lower-case word ("completed", "failed", "cancelled", "timeout"...), this long.
inline constexpr int kMaxExitStateLength = 32;

// One part of a host's power (docs/protocol.md, "Energy counters"): a RAPL zone ("package-0",
// "dram"), a hwmon sensor, a GPU ("gpu0"). Its energy counter, when it has one, is cumulative and
// belongs to the sample's counter id. A GPU may carry its device id ("uuid", e.g. NVML's
// "GPU-8f1e..."), which a job's "gpus" may name (docs/accounting.md, "GPUs a job holds").
struct PowerComponent
{
    QString name;
    double watts = 0.0;
    std::optional<double> energyJ;
    QString uuid; // empty: not sent
    bool operator==(const PowerComponent &o) const
    {
        return name == o.name && watts == o.watts && energyJ == o.energyJ && uuid == o.uuid;
    }
};

struct PowerSample
{
    QString host;
    double watts = 0.0;
    QString jobId; // empty when the payload said null or had no job_id
    TimeNs timestampNs = 0;
    bool timestampFromReceipt = false; // true when the payload had no timestamp
    std::optional<quint64> seq;        // "seq": +1 per sample of this publisher and topic kind
    TimeNs receiptNs = 0;              // when we received it (set by decode(); 0: unknown)
    // Optional energy counter (docs/protocol.md, "Energy counters"): cumulative joules the agent
    // keeps monotonic while counterId stays the same; a new counterId starts a new counter.
    std::optional<double> energyJ;
    QString counterId;                      // required with energyJ
    QString source;                         // "rapl", "hwmon", "nvml", "sim" or a comma list
    std::vector<PowerComponent> components; // at most kMaxComponents
    // "zone": the grid zone the host draws from (docs/protocol.md, "Grid carbon intensity");
    // empty: the processor's host-to-zone map or --grid-zone decides.
    QString zone;
};

struct FlowTempSample
{
    QString host;
    double flowLpm = 0.0;
    double tempC = 0.0;
    TimeNs timestampNs = 0;
    bool timestampFromReceipt = false;
    std::optional<quint64> seq; // as PowerSample::seq
    TimeNs receiptNs = 0;       // as PowerSample::receiptNs
};

enum class JobStatus { Start, End };

struct ControlMessage
{
    JobStatus status = JobStatus::Start;
    QString jobId;
    QString host; // empty: the job runs on every host
    TimeNs timestampNs = 0;
    bool timestampFromReceipt = false;
    std::optional<int> exitCode; // "exit_code", sent by `greenpulse-job run` on end
    TimeNs receiptNs = 0;        // as PowerSample::receiptNs
    ControlOrigin origin;        // from the topic, not the payload (never encoded)
    // Optional, from a scheduler (docs/protocol.md, "Job details"); empty: not sent.
    QString user;      // "user": who submitted the job (start)
    QString name;      // "name": the job's own name, e.g. Slurm's job name (start)
    QStringList gpus;  // "gpus": devices the job holds on its host, indices ("0") or UUIDs (start)
    QString exitState; // "exit_state": completed, failed, cancelled, timeout... (end)
};

// The grid's carbon intensity in one zone from a time on (docs/protocol.md, "Grid carbon
// intensity"): greenpulse/grid/<zone>/carbon_intensity, retained.
enum class IntensityKind { Lifecycle, Direct, Marginal };
const char *intensityKindName(IntensityKind kind); // "lifecycle", "direct", "marginal"
// The highest intensity accepted (g CO2e/kWh): coal plants emit about 1,000 over their life.
inline constexpr double kMaxCarbonIntensity = 5000.0;

struct GridIntensity
{
    QString zone;             // from the topic: a zone code ("DE", "US-CAL-CISO", "GB-13")
    double gCo2ePerKwh = 0.0; // "g_co2e_per_kwh"
    TimeNs timestampNs = 0;   // from when the value holds ("timestamp"; receipt time if absent)
    bool timestampFromReceipt = false;
    QString source; // "source": who computed it ("electricitymaps", "carbonintensity.org.uk"...)
    IntensityKind kind = IntensityKind::Lifecycle; // "kind"; lifecycle when absent
    bool estimated = false;                        // "estimated": a forecast or an estimate
    TimeNs receiptNs = 0;                          // as PowerSample::receiptNs
};

enum class RejectReason {
    PayloadTooLarge,
    NotJson,
    NotAnObject,
    MissingKey,
    WrongType,
    NotFinite,
    Negative,
    AboveCeiling,
    UnknownStatus,
    BadTimestamp,
    BadIdentifier,
    UnknownTopic,
    // Set by the ledger, not by the decoder; listed here so every counter shares one enum.
    OutOfOrder,
    FromFuture,
    TooManyIds,    // a new host or job id beyond --max-hosts / --max-jobs
    IdRateLimited, // a new host or job id beyond --max-new-ids-per-minute
    // A per-host topic whose payload names another host (docs/protocol.md).
    HostMismatch,
    // Set by the processor: a control message from a topic that may not end or restart the job
    // (ControlOrigin.h), or from the legacy topic where the site switched it off.
    NotOwner,
};
inline constexpr int kRejectReasonCount = static_cast<int>(RejectReason::NotOwner) + 1;

// Stable snake_case name of a reason, used in logs, counters and the InfluxDB/JSON outputs.
const char *rejectReasonName(RejectReason reason);

struct Rejection
{
    RejectReason reason = RejectReason::NotJson;
    QString detail; // human readable, e.g. "missing key \"watts\""
};

using Decoded = std::variant<PowerSample, FlowTempSample, ControlMessage, Rejection, GridIntensity>;

} // namespace greenpulse::core
