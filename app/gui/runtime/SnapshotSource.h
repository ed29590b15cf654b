#pragma once

#include "accounting/LedgerConfig.h"
#include "influx/InfluxOptions.h"
#include "mqtt/MqttClient.h"
#include "pipeline/ProcessorSnapshot.h"

#include <QObject>
#include <memory>

namespace greenpulse::app {

// Where the window's ProcessorSnapshots come from: the dashboard's own processor (Backend, a
// desktop alone) or another processor's published ledger (FollowBackend, --follow). The window
// reads snapshot() on snapshotUpdated() and hands settings changes over; a source ignores what
// does not apply to it (a follower has no ledger config and writes no InfluxDB).
class SnapshotSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~SnapshotSource() override = default;

    // GUI thread: the latest snapshot (null before the first one arrives).
    virtual std::shared_ptr<const core::ProcessorSnapshot> snapshot() const = 0;
    // The processor whose ledger this shows; empty: the own processor.
    virtual QString followedProcessor() const { return {}; }

    // Return at once; the work happens on the source's own thread.
    virtual void applyLedgerConfig(const core::LedgerConfig &config) = 0;
    virtual void applyMqttOptions(const core::MqttOptions &options) = 0;
    virtual void applyInfluxOptions(const core::InfluxOptions &options) = 0;
    // Stops what runs behind it and ends its thread; idempotent.
    virtual void shutdown(int drainMs = 2000) = 0;

signals:
    void snapshotUpdated();
    void processorError(const QString &message);
};

} // namespace greenpulse::app
