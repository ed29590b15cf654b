#pragma once

// The wire contract of GreenPulse: topics and JSON payloads, kept compatible with the original
// Python publishers. One decoder and one set of encoders; every program uses these.
// See docs/protocol.md.

#include "ControlOrigin.h"
#include "Timestamp.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <optional>
#include <variant>

namespace greenpulse::core {

namespace topics {
inline constexpr const char *kPower = "greenpulse/raw/power";
inline constexpr const char *kFlowTemp = "greenpulse/raw/flow_temp";
inline constexpr const char *kControl = "greenpulse/control"; // legacy: ControlOrigin::legacy()
// Per-user control: greenpulse/control/<user>, and the operators' topic (ControlOrigin.h).
inline constexpr const char *kUserControlPrefix = "greenpulse/control/";
inline constexpr const char *kOperatorsControl = "greenpulse/operators/control";
// Everything the processor listens to.
inline constexpr const char *kAll = "greenpulse/#";
// Retained job state, one topic per job, so an agent started mid-job learns what is running.
inline constexpr const char *kJobStatePrefix = "greenpulse/state/jobs/";
// Presence (retained "online", last will "offline"), one topic per client id.
inline constexpr const char *kStatusPrefix = "greenpulse/status/";

QByteArray powerForHost(const QString &host);    // greenpulse/raw/<host>/power
QByteArray flowTempForHost(const QString &host); // greenpulse/raw/<host>/flow_temp
QByteArray jobState(const QString &jobId);       // greenpulse/state/jobs/<jobId>
QByteArray status(const QString &clientId);      // greenpulse/status/<clientId>
QByteArray control(const ControlOrigin &origin); // the control topic of `origin`
} // namespace topics

// Limits enforced by the decoder.
inline constexpr qsizetype kMaxPayloadBytes = 64 * 1024;
inline constexpr double kMaxWatts = 100'000.0;
inline constexpr double kMinTempC = -50.0;
inline constexpr double kMaxTempC = 150.0;
inline constexpr qsizetype kMaxIdLength = 256;
// "seq" is an unsigned integer a double holds exactly (up to 2^53).
inline constexpr quint64 kMaxSeq = 9'007'199'254'740'992ULL;

struct PowerSample
{
    QString host;
    double watts = 0.0;
    QString jobId; // empty when the payload said null or had no job_id
    TimeNs timestampNs = 0;
    bool timestampFromReceipt = false; // true when the payload had no timestamp
    std::optional<quint64> seq;        // "seq": +1 per sample of this publisher and topic kind
    TimeNs receiptNs = 0;              // when we received it (set by decode(); 0: unknown)
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

using Decoded = std::variant<PowerSample, FlowTempSample, ControlMessage, Rejection>;

// Pure function: topic + payload -> sample, control message or rejection. Never throws.
// `receiptNs` is used when the payload carries no timestamp. Per-host topics
// greenpulse/raw/<host>/power and .../flow_temp are accepted; when the payload also names a host
// it must be the topic's (else HostMismatch). Control messages get their origin from the topic
// (ControlOrigin.h). Topics outside the contract (e.g. greenpulse/status/#) give UnknownTopic.
// Well-formed power and flow_temp samples take a fast path (FastDecode.h); everything else, and
// every rejection, goes through decodeReference().
Decoded decode(QByteArrayView topic, QByteArrayView payload, TimeNs receiptNs);
// The same contract without the fast path: always a full QJsonDocument parse. decode() gives
// exactly its results; tests and the fuzz target compare the two.
Decoded decodeReference(QByteArrayView topic, QByteArrayView payload, TimeNs receiptNs);

// Kind of topic, without looking at the payload (cheap; used to route and to ignore our own
// status/state topics without counting them as rejections).
enum class TopicKind { Power, FlowTemp, Control, JobState, Status, Unknown };
TopicKind classifyTopic(QByteArrayView topic);

// Timestamps of any unit (normalizeTimestamp) and seconds conversions: Timestamp.h.

// Encoders: compact JSON in the contract's shape. Timestamps are written as fractional seconds
// (as the Python publishers did) with microsecond resolution; an empty jobId is written as null.
QByteArray encode(const PowerSample &sample);
QByteArray encode(const FlowTempSample &sample);
QByteArray encode(const ControlMessage &message);

} // namespace greenpulse::core
