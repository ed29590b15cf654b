#pragma once

#include "base/Clock.h"
#include "runtime/SnapshotSource.h"

#include <QThread>
#include <memory>

namespace greenpulse::core {
class LedgerFollower;
class SeriesStore;
} // namespace greenpulse::core

namespace greenpulse::app {

class SwappableMqttClient;

// Follow mode (--follow <processor>): the window shows the ledger that greenpulse-processor
// <processor> publishes (LedgerFollower, on a worker thread with its own MQTT client) instead of
// running a processor of its own. No Processor and no InfluxWriter exist in this mode: nothing is
// computed twice and nothing is written to InfluxDB. Settings: the MQTT options apply (a new
// client, same follower); the accounting and InfluxDB ones are the followed processor's.
class FollowBackend : public SnapshotSource
{
    Q_OBJECT
public:
    FollowBackend(const QString &processorName, const core::MqttOptions &mqtt,
                  core::SeriesStore *series, const core::Clock &clock, QObject *parent = nullptr);
    ~FollowBackend() override;

    void start(int snapshotIntervalMs = 250);
    std::shared_ptr<const core::ProcessorSnapshot> snapshot() const override { return m_snapshot; }
    QString followedProcessor() const override { return m_name; }

    void applyLedgerConfig(const core::LedgerConfig &) override {} // the followed processor's
    void applyMqttOptions(const core::MqttOptions &options) override;
    void applyInfluxOptions(const core::InfluxOptions &) override {} // nothing is written here
    void shutdown(int drainMs = 2000) override;

private:
    void runOnWorker(std::function<void()> function);

    QString m_name;
    QThread m_thread;
    QObject *m_context = nullptr;               // lives on the worker thread
    SwappableMqttClient *m_mqtt = nullptr;      // owned; worker thread
    core::LedgerFollower *m_follower = nullptr; // owned; worker thread
    std::shared_ptr<const core::ProcessorSnapshot> m_snapshot;
    bool m_started = false;
    bool m_stopped = false;
};

} // namespace greenpulse::app
