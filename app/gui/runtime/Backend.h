#pragma once

#include "influx/InfluxOptions.h"
#include "accounting/LedgerConfig.h"
#include "mqtt/MqttClient.h"
#include "pipeline/Processor.h"
#include "runtime/SnapshotSource.h"

#include <QObject>
#include <QThread>
#include <memory>

namespace greenpulse::core {
class InfluxWriter;
} // namespace greenpulse::core

namespace greenpulse::app {

class SwappableMqttClient;

// Runs the processor side (Processor, its MQTT client, its InfluxWriter) on a worker thread and
// hands the GUI thread-safe snapshots. The GUI never calls those objects directly: every change
// is a queued invocation on the worker thread, and only shutdown() waits for the worker.
class Backend : public SnapshotSource
{
    Q_OBJECT
public:
    // Takes the objects main() built (parentless, made on the GUI thread; `processor` must use
    // `mqtt` as its client) and moves them to the worker thread.
    Backend(std::unique_ptr<SwappableMqttClient> mqtt, std::unique_ptr<core::InfluxWriter> writer,
            std::unique_ptr<core::Processor> processor, QObject *parent = nullptr);
    ~Backend() override;

    // Starts the thread, then (on it) the writer, the processor and the MQTT connection.
    void start();
    // Stops the processor (final tick, state file saved), drains the writer for at most
    // `drainMs`, disconnects, deletes the worker objects and ends the thread. Idempotent.
    void shutdown(int drainMs = 2000) override;
    bool isRunning() const { return m_started && !m_stopped; }

    // GUI thread: the latest snapshot (null before the first one arrives).
    std::shared_ptr<const core::ProcessorSnapshot> snapshot() const override { return m_snapshot; }

    // Queued to the worker thread; they return at once.
    void applyLedgerConfig(const core::LedgerConfig &config) override;
    void
    applyMqttOptions(const core::MqttOptions &options) override; // a new client, same processor
    void applyInfluxOptions(const core::InfluxOptions &options) override;

private:
    void postSnapshot(std::shared_ptr<const core::ProcessorSnapshot> snapshot);
    void runOnWorker(std::function<void()> function);

    QThread m_thread;
    QObject *m_context = nullptr; // lives on the worker thread: the receiver of our invocations
    // Owned; touched only on the worker thread once start() ran.
    SwappableMqttClient *m_mqtt = nullptr;
    core::InfluxWriter *m_writer = nullptr;
    core::Processor *m_processor = nullptr;
    std::shared_ptr<const core::ProcessorSnapshot> m_snapshot;
    bool m_started = false;
    bool m_stopped = false;
};

} // namespace greenpulse::app
