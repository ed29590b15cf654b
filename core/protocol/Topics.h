#pragma once

// The topics of the wire contract (docs/protocol.md): their names, how to build them, and a topic
// parsed once into a value (Topic) that says what it is and which host or user it names.

#include "protocol/ControlOrigin.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

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
// The grid's carbon intensity per zone: greenpulse/grid/<zone>/carbon_intensity (retained).
inline constexpr const char *kGridPrefix = "greenpulse/grid/";
// Presence (retained "online", last will "offline"), one topic per client id.
inline constexpr const char *kStatusPrefix = "greenpulse/status/";
// The ledger a processor publishes for its viewers (retained; docs/protocol.md, "Ledger"):
// greenpulse/ledger/<processor>/summary, .../jobs/<job id>, .../hosts/<page>.
inline constexpr const char *kLedgerPrefix = "greenpulse/ledger/";
inline constexpr const char *kLedgerSummaryLeaf = "summary";
inline constexpr const char *kLedgerJobsLevel = "jobs";
inline constexpr const char *kLedgerHostsLevel = "hosts";

QByteArray powerForHost(const QString &host);        // greenpulse/raw/<host>/power
QByteArray flowTempForHost(const QString &host);     // greenpulse/raw/<host>/flow_temp
QByteArray jobState(const QString &jobId);           // greenpulse/state/jobs/<jobId>
QByteArray status(const QString &clientId);          // greenpulse/status/<clientId>
QByteArray control(const ControlOrigin &origin);     // the control topic of `origin`
QByteArray gridCarbonIntensity(const QString &zone); // greenpulse/grid/<zone>/carbon_intensity
QByteArray ledgerRoot(const QString &processor);     // greenpulse/ledger/<processor>/
QByteArray ledgerSummary(const QString &processor);  // greenpulse/ledger/<processor>/summary
QByteArray ledgerJob(const QString &processor, const QString &jobId); // .../jobs/<jobId>
QByteArray ledgerHostPage(const QString &processor, int page);        // .../hosts/<page>
// Whether `name` can be a processor name in these topics: one non-empty level of printable
// characters without the wildcards + and # (and at most 128 bytes).
bool isValidProcessorName(const QString &name);
} // namespace topics

// Kind of topic, without looking at the payload (cheap; used to route and to ignore our own
// status/state topics without counting them as rejections).
enum class TopicKind {
    Power,
    FlowTemp,
    Control,
    JobState,
    Status,
    GridIntensity,
    Unknown,
    Ledger, // greenpulse/ledger/...: a processor's published ledger (not samples)
};
TopicKind classifyTopic(QByteArrayView topic);

// A topic parsed once. The views point into the topic it was parsed from: no copy on the hot path.
struct Topic
{
    TopicKind kind = TopicKind::Unknown;
    // The <host> of greenpulse/raw/<host>/power and .../flow_temp; empty on the shared topics.
    QByteArrayView host;
    // Control topics: the <user> of greenpulse/control/<user>; empty on the others.
    QByteArrayView user;
    bool operators = false; // greenpulse/operators/control
    // The <zone> of greenpulse/grid/<zone>/carbon_intensity; empty on the others.
    QByteArrayView zone;
};
Topic parseTopic(QByteArrayView topic);

} // namespace greenpulse::core
