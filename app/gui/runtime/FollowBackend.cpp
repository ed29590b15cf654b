#include "runtime/FollowBackend.h"

#include "base/Logging.h"
#include "base/SecurityChecks.h"
#include "mqtt/MosquittoClient.h"
#include "pipeline/LedgerFollower.h"
#include "runtime/SwappableMqttClient.h"

namespace greenpulse::app {

FollowBackend::FollowBackend(const QString &processorName, const core::MqttOptions &mqtt,
                             core::SeriesStore *series, const core::Clock &clock, QObject *parent)
    : SnapshotSource(parent), m_name(processorName)
{
    m_thread.setObjectName(QStringLiteral("greenpulse-follower"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_mqtt = new SwappableMqttClient(std::make_unique<core::MosquittoClient>(mqtt));
    m_follower = new core::LedgerFollower(*m_mqtt, clock, processorName);
    m_follower->setSeriesStore(series);
    m_mqtt->moveToThread(&m_thread);
    m_follower->moveToThread(&m_thread);
}

FollowBackend::~FollowBackend()
{
    shutdown();
}

void FollowBackend::runOnWorker(std::function<void()> function)
{
    QMetaObject::invokeMethod(m_context, std::move(function), Qt::QueuedConnection);
}

void FollowBackend::start(int snapshotIntervalMs)
{
    if (m_started) {
        return;
    }
    m_started = true;
    m_thread.start();
    runOnWorker([this, snapshotIntervalMs] {
        m_follower->setSnapshotIntervalMs(snapshotIntervalMs);
        connect(m_follower, &core::LedgerFollower::snapshotReady, m_context, [this] {
            // Worker thread -> GUI thread; dropped by Qt if this object is gone by then.
            QMetaObject::invokeMethod(
                this,
                [this, snapshot = m_follower->snapshot()] {
                    m_snapshot = snapshot;
                    emit snapshotUpdated();
                },
                Qt::QueuedConnection);
        });
        m_follower->start();
        m_mqtt->connectToBroker();
    });
    qCInfo(lcApp).noquote() << "following the ledger of processor" << m_name;
}

void FollowBackend::applyMqttOptions(const core::MqttOptions &options)
{
    if (!m_started || m_stopped) {
        return;
    }
    qCInfo(lcApp) << "follower MQTT client: switching to" << core::redactUrl(options.brokerUrl);
    runOnWorker(
        [this, options] { m_mqtt->swap(std::make_unique<core::MosquittoClient>(options)); });
}

void FollowBackend::shutdown(int)
{
    if (m_stopped) {
        return;
    }
    m_stopped = true;
    if (!m_started) {
        m_thread.start(); // the objects live there: delete them on their own thread
    }
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            m_mqtt->disconnectFromBroker();
            delete m_follower;
            delete m_mqtt;
            m_follower = nullptr;
            m_mqtt = nullptr;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_context;
    m_context = nullptr;
}

} // namespace greenpulse::app
