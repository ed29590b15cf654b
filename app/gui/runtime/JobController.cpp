#include "runtime/JobController.h"

#include "base/Logging.h"
#include "base/SecurityChecks.h"
#include "control/JobPublisher.h"
#include "mqtt/MosquittoClient.h"
#include "runtime/SwappableMqttClient.h"

namespace greenpulse::app {

JobController::JobController(std::unique_ptr<core::MqttClient> client, QObject *parent)
    : QObject(parent), m_client(std::make_unique<SwappableMqttClient>(std::move(client))),
      m_publisher(std::make_unique<core::JobPublisher>(*m_client))
{
    connect(m_client.get(), &core::MqttClient::stateChanged, this, &JobController::stateChanged);
    m_demo = new DemoRunner(
        [this](const QString &name, const QString &host) { return startJob(name, host); },
        [this](const QString &jobId) { endJob(jobId); }, this);
    // A demo job started while the broker is away would only be queued: the demo would claim a
    // job runs that nobody has seen (and a late flush would start and end it at once).
    m_demo->setBlockedCheck([this]() -> QString {
        if (state() == core::ConnectionState::Connected) {
            return {};
        }
        const QString error = lastError();
        return error.isEmpty() ? tr("not connected to the broker")
                               : tr("not connected to the broker (%1)").arg(error);
    });
}

JobController::~JobController()
{
    m_demo->disconnect();
    m_publisher.reset();
    m_client->disconnectFromBroker();
}

void JobController::useControlTopicOf(const QString &username)
{
    // The dashboard always uses "auto": its MQTT user's own topic, or the legacy one.
    m_publisher->setOrigin(core::controlOriginForPublisher(QStringLiteral("auto"), username)
                               .value_or(core::ControlOrigin::legacy()));
}

void JobController::connectToBroker()
{
    m_client->connectToBroker();
}

void JobController::disconnectFromBroker()
{
    m_client->disconnectFromBroker();
}

void JobController::applyMqttOptions(const core::MqttOptions &options)
{
    qCInfo(lcApp) << "job control MQTT client: switching to" << core::redactUrl(options.brokerUrl);
    m_client->swap(std::make_unique<core::MosquittoClient>(options));
    useControlTopicOf(options.username);
    emit stateChanged();
}

QString JobController::startJob(const QString &name, const QString &host)
{
    const QString jobId = m_publisher->start(name, host);
    qCInfo(lcApp) << "job started:" << jobId << "on"
                  << (host.isEmpty() ? QStringLiteral("every host") : host);
    m_lastStarted = jobId;
    emit jobStarted(jobId);
    return jobId;
}

void JobController::endJob(const QString &jobId, std::optional<int> exitCode)
{
    if (jobId.isEmpty()) {
        return;
    }
    m_publisher->end(jobId, exitCode);
    if (exitCode) {
        qCInfo(lcApp) << "job ended:" << jobId << "exit code" << *exitCode;
    } else {
        qCInfo(lcApp) << "job ended:" << jobId;
    }
    emit jobEnded(jobId);
}

core::ConnectionState JobController::state() const
{
    return m_client->state();
}

QString JobController::lastError() const
{
    return m_client->lastError();
}

quint64 JobController::droppedPublishes() const
{
    return m_client->counters().droppedPublishes;
}

QString JobController::takeoverWarning() const
{
    return m_client->takeoverWarning();
}

bool JobController::isIdle() const
{
    return m_client->isIdle();
}

} // namespace greenpulse::app
