#pragma once

// What the dashboard shows of the processor: a plain value, built on the processor's thread
// (SnapshotPublisher) and read on the GUI's, immutable once published. Widgets include this, not
// Processor.h.

#include "accounting/LedgerConfig.h"
#include "accounting/LedgerTypes.h"
#include "influx/InfluxStatus.h"
#include "mqtt/MqttClient.h"
#include "pipeline/DailyTotals.h"

#include <QJsonObject>
#include <QString>
#include <vector>

namespace greenpulse::core {

struct ProcessorSnapshot
{
    TimeNs takenNs = 0;
    std::vector<JobSummary> jobs;
    std::vector<HostSummary> hosts;
    ConnectionState mqttState = ConnectionState::Disconnected;
    QString mqttError;
    InfluxStatus influx;
    quint64 accepted = 0;
    quint64 rejected = 0;         // decoder rejections + out-of-order + future samples
    quint64 droppedPublishes = 0; // MQTT publishes dropped (queue overflow)
    double messagesPerSecond = 0;
    QJsonObject rejectionsByReason;
    double powerNowWatts = 0; // sum of every host's latest watts
    DayTotals today;          // since local midnight
    LedgerConfig config;
    QString stateSaveError;         // empty while the state file saves fine
    quint64 stateSaveFailures = 0;  // failed state saves since the start
    quint64 journalFailures = 0;    // control messages the journal could not write durably
    quint64 reconciledEnds = 0;     // running jobs ended after a restart from the retained state
    std::vector<ZoneSummary> zones; // grid zones' carbon intensity (docs/footprint.md)
    GridCounters grid;              // what the intensity feeds did: late, stale, dropped...
};

} // namespace greenpulse::core
