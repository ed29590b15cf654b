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
    // Sum of the latest watts of every host heard within staleAfterSeconds; while not connected
    // to the broker, the last such sum seen connected (frozen).
    double powerNowWatts = 0;
    DayTotals today; // since local midnight
    LedgerConfig config;
    QString stateSaveError;        // empty while the state file saves fine
    quint64 stateSaveFailures = 0; // failed state saves since the start
    quint64 journalFailures = 0;   // control messages the journal could not write durably
    quint64 reconciledEnds = 0;    // running jobs ended after a restart from the retained state
    // Intervals in which the GPUs jobs held drew more than the whole host, so their energy was
    // scaled down to the host's (docs/accounting.md): the host's reading is not a node meter.
    quint64 gpuEnergyClamped = 0;
    std::vector<ZoneSummary> zones; // grid zones' carbon intensity (docs/footprint.md)
    GridCounters grid;              // what the intensity feeds did: late, stale, dropped...
    // Another client uses our MQTT client id (MqttClient::takeoverWarning()); empty: none.
    QString mqttTakeover;
    quint64 mqttTakeovers = 0; // connections lost to it since the start
    QString mqttClientId;
    // Freshness (docs/dashboard.md, "Freshness"): hosts not heard from for longer than this
    // (HostSummary::lastHeardNs against takenNs) are silent; 0: not set.
    double staleAfterSeconds = 0;
    TimeNs mqttLastConnectedNs = 0; // the last time it was connected to the broker; 0: never

    // Follow mode (LedgerFollower): the ledger shown is another processor's, published on
    // greenpulse/ledger/<followedProcessor>/ (docs/dashboard.md, "Follow mode"). Then mqttState
    // and mqttError are the follower's own connection; takenNs is the followed summary's.
    QString followedProcessor;     // empty: this program's own processor
    bool followSilent = false;     // no summary for a while, its presence says offline, or stopped
    bool followOffline = false;    // greenpulse/status/<its client id> says "offline"
    bool followStopped = false;    // its last summary said it was stopping
    TimeNs followReceivedNs = 0;   // when its latest summary arrived here (0: none yet)
    quint64 followBadPayloads = 0; // ledger messages that could not be read (ignored)
};

} // namespace greenpulse::core
