#include "runtime/Backend.h"

#include "influx/InfluxWriter.h"
#include "base/Logging.h"
#include "mqtt/MosquittoClient.h"
#include "base/SecurityChecks.h"
#include "runtime/SwappableMqttClient.h"

namespace greenpulse::app {

Backend::Backend(std::unique_ptr<SwappableMqttClient> mqtt,
                 std::unique_ptr<core::InfluxWriter> writer,
                 std::unique_ptr<core::Processor> processor, QObject *parent)
    : SnapshotSource(parent), m_mqtt(mqtt.release()), m_writer(writer.release()),
      m_processor(processor.release())
{
    m_thread.setObjectName(QStringLiteral("greenpulse-processor"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_mqtt->moveToThread(&m_thread);
    m_writer->moveToThread(&m_thread);
    m_processor->moveToThread(&m_thread);
}

Backend::~Backend()
{
    shutdown();
}

void Backend::runOnWorker(std::function<void()> function)
{
    QMetaObject::invokeMethod(m_context, std::move(function), Qt::QueuedConnection);
}

void Backend::start()
{
    if (m_started) {
        return;
    }
    m_started = true;
    m_thread.start();
    runOnWorker([this] {
        m_processor->setInfluxWriter(m_writer);
        connect(m_processor, &core::Processor::snapshotReady, m_context,
                [this] { postSnapshot(m_processor->snapshot()); });
        m_writer->start();
        QString error;
        if (!m_processor->start(&error)) {
            qCWarning(lcApp) << "processor did not start:" << error;
            QMetaObject::invokeMethod(
                this, [this, error] { emit processorError(error); }, Qt::QueuedConnection);
        }
        if (m_mqtt->state() == core::ConnectionState::Disconnected) {
            m_mqtt->connectToBroker();
        }
        postSnapshot(m_processor->snapshot());
    });
}

void Backend::postSnapshot(std::shared_ptr<const core::ProcessorSnapshot> snapshot)
{
    if (!snapshot) {
        return;
    }
    // Worker thread -> GUI thread. Dropped by Qt if the Backend is gone by then.
    QMetaObject::invokeMethod(
        this,
        [this, snapshot = std::move(snapshot)] {
            m_snapshot = snapshot;
            emit snapshotUpdated();
        },
        Qt::QueuedConnection);
}

void Backend::applyLedgerConfig(const core::LedgerConfig &config)
{
    if (!isRunning()) {
        return;
    }
    runOnWorker([this, config] { m_processor->applyConfig(config); });
}

void Backend::applyMqttOptions(const core::MqttOptions &options)
{
    if (!isRunning()) {
        return;
    }
    qCInfo(lcApp) << "processor MQTT client: switching to" << core::redactUrl(options.brokerUrl)
                  << "as" << options.clientId;
    runOnWorker([this, options] {
        // Made on the worker thread, so it lives there like the client it replaces.
        m_mqtt->swap(std::make_unique<core::MosquittoClient>(options));
    });
}

void Backend::applyInfluxOptions(const core::InfluxOptions &options)
{
    if (!isRunning()) {
        return;
    }
    qCInfo(lcApp) << "InfluxDB writer: reconfigured," << (options.enabled() ? "writing to" : "off")
                  << core::redactUrl(options.url);
    runOnWorker([this, options] { m_writer->reconfigure(options); });
}

void Backend::shutdown(int drainMs)
{
    if (m_stopped) {
        return;
    }
    m_stopped = true;
    auto finish = [this, drainMs] {
        if (m_started) {
            m_processor->stop();
            m_writer->drain(drainMs);
            m_mqtt->disconnectFromBroker();
        }
        delete m_processor;
        delete m_mqtt;
        delete m_writer;
        m_processor = nullptr;
        m_mqtt = nullptr;
        m_writer = nullptr;
    };
    if (m_started) {
        qCInfo(lcApp) << "stopping the processor";
    } else {
        m_thread.start(); // the objects live there: delete them on their own thread
    }
    QMetaObject::invokeMethod(m_context, finish, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_context;
    m_context = nullptr;
}

} // namespace greenpulse::app
