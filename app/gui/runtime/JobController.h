#pragma once

#include "mqtt/MqttClient.h"
#include "runtime/DemoRunner.h"

#include <QObject>
#include <memory>
#include <optional>

namespace greenpulse::core {
class JobPublisher;
} // namespace greenpulse::core

namespace greenpulse::app {

class SwappableMqttClient;

// The window's job controls: publishes job start/end control messages (and the retained job
// state) through JobPublisher on an MQTT client of the GUI thread. The host agents react; the
// processor (on its own connection) sees the messages like any other.
class JobController : public QObject
{
    Q_OBJECT
public:
    explicit JobController(std::unique_ptr<core::MqttClient> client, QObject *parent = nullptr);
    ~JobController() override;

    // Control messages go to greenpulse/control/<username>, or greenpulse/control without one
    // (docs/security.md). applyMqttOptions() calls it with the new user name.
    void useControlTopicOf(const QString &username);

    void connectToBroker();
    void disconnectFromBroker(); // sends what is pending if it can do so quickly
    void applyMqttOptions(const core::MqttOptions &options);

    QString startJob(const QString &name, const QString &host); // returns the job id
    void endJob(const QString &jobId, std::optional<int> exitCode = std::nullopt);
    QString lastStartedJob() const { return m_lastStarted; }

    DemoRunner &demo() { return *m_demo; }

    core::ConnectionState state() const;
    QString lastError() const;
    quint64 droppedPublishes() const;
    QString takeoverWarning() const; // MqttClient::takeoverWarning() of the controls' client
    bool isIdle() const;

signals:
    void stateChanged();
    void jobStarted(const QString &jobId);
    void jobEnded(const QString &jobId);

private:
    std::unique_ptr<SwappableMqttClient> m_client;
    std::unique_ptr<core::JobPublisher> m_publisher;
    DemoRunner *m_demo = nullptr;
    QString m_lastStarted;
};

} // namespace greenpulse::app
