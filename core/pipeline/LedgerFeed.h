#pragma once

// The payloads of a processor's published ledger (greenpulse/ledger/<processor>/...; written by
// LedgerPublisher, read by LedgerFollower; docs/protocol.md, "Ledger"): one job, one host, the
// summary. Jobs and hosts reuse the processor's own output (Ledger::jobToJson, hostsToJson) plus
// what a viewer needs to rebuild the same JobSummary / HostSummary. Numbers are written in their
// shortest round-trip form and timestamps as integer nanoseconds, so a viewer reads back the
// processor's values bit for bit.

#include "pipeline/ProcessorSnapshot.h"

#include <QJsonObject>
#include <optional>

namespace greenpulse::core::ledgerfeed {

inline constexpr int kVersion = 1; // "v" of every payload; a reader ignores newer fields

QJsonObject jobToJson(const JobSummary &job);
std::optional<JobSummary> jobFromJson(const QJsonObject &o, QString *error);

QJsonObject hostToJson(const HostSummary &host, const QJsonObject &counters);
// `counters`: the host's entry of Ledger::hostsToJson (computed once for a whole page).
std::optional<HostSummary> hostFromJson(const QString &name, const QJsonObject &o, QString *error);

// What a summary carries besides the snapshot's fields.
struct SummaryInfo
{
    QString processor;
    QString clientId;     // its MQTT client id: its presence is greenpulse/status/<client id>
    int intervalMs = 0;   // how often it publishes
    int jobs = 0;         // jobs in its ledger now (each on .../jobs/<id>)
    int hosts = 0;        // hosts in its ledger now
    int hostPages = 0;    // .../hosts/0 .. hostPages-1
    bool stopped = false; // its last summary before it stopped
};

// The summary: counters, config, MQTT and InfluxDB state, power now, today's totals, taken time
// (the snapshot's fields other than its jobs and hosts).
QJsonObject summaryToJson(const ProcessorSnapshot &snapshot, const SummaryInfo &info);
// Fills `snapshot`'s summary fields (not jobs and hosts); false (and `error`) when malformed.
bool summaryFromJson(const QJsonObject &o, ProcessorSnapshot *snapshot, SummaryInfo *info,
                     QString *error);

} // namespace greenpulse::core::ledgerfeed
