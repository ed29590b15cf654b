#include "SimulatorSupport.h"

#include "base/Logging.h"
#include "options/Options.h"
#include "protocol/Protocol.h"

#include <QPointer>
#include <QTextStream>
#include <QTimer>
#include <memory>

namespace greenpulse::sim {

using core::MqttClient;

core::MqttOptions simulatorMqttOptions(const core::Options &options)
{
    // The client id: --client-id, else this instance's default (core::ClientIds).
    core::MqttOptions mqtt = options.mqttOptions();
    mqtt.willTopic = core::topics::status(mqtt.clientId);
    mqtt.willPayload = "offline";
    mqtt.willRetain = true;
    mqtt.willQos = 1;
    mqtt.onlinePayload = "online";
    return mqtt;
}

bool readPublishingOptions(const core::Options &options, int *intervalMs, qint64 *count)
{
    bool intervalOk = false;
    bool countOk = false;
    const qint64 interval = options.intValue(core::opt::kIntervalMs, &intervalOk);
    const qint64 n = options.intValue(core::opt::kCount, &countOk);
    QTextStream err(stderr);
    if (!intervalOk || interval <= 0 || interval > 24 * 3600 * 1000) {
        err << options.programName()
            << ": --interval-ms must be a positive number of milliseconds, not \""
            << options.value(core::opt::kIntervalMs) << "\"" << Qt::endl;
        return false;
    }
    if (!countOk || n < 0) {
        err << options.programName() << ": --count must be 0 (forever) or a positive number, not \""
            << options.value(core::opt::kCount) << "\"" << Qt::endl;
        return false;
    }
    *intervalMs = static_cast<int>(interval);
    *count = n;
    return true;
}

void whenIdle(MqttClient &client, int timeoutMs, QObject *context,
              std::function<void(bool acknowledged)> done)
{
    // A private object owns the connections and the timers; deleting it ends the wait.
    auto *waiter = new QObject(context);
    auto finish = std::make_shared<std::function<void(bool)>>(std::move(done));
    auto complete = [waiter, finish](bool acknowledged) {
        if (!*finish) {
            return;
        }
        auto callback = std::move(*finish);
        *finish = nullptr;
        waiter->deleteLater();
        callback(acknowledged);
    };
    QObject::connect(&client, &MqttClient::idle, waiter, [complete] { complete(true); });
    QObject::connect(&client, &MqttClient::stateChanged, waiter,
                     [complete](core::ConnectionState state) {
                         if (state == core::ConnectionState::Error) {
                             complete(false);
                         }
                     });
    // Polling as well as the signal: isIdle() is the contract, idle() only a hint.
    auto *poll = new QTimer(waiter);
    poll->setInterval(20);
    QPointer<MqttClient> guardedClient(&client);
    QObject::connect(poll, &QTimer::timeout, waiter, [guardedClient, complete] {
        if (guardedClient && guardedClient->isIdle()) {
            complete(true);
        }
    });
    poll->start();
    if (timeoutMs >= 0) {
        QTimer::singleShot(timeoutMs, waiter, [complete] { complete(false); });
    }
    QTimer::singleShot(0, waiter, [guardedClient, complete] {
        if (guardedClient && guardedClient->isIdle()) {
            complete(true);
        } else if (guardedClient && guardedClient->state() == core::ConnectionState::Error) {
            complete(false);
        }
    });
}

void shutDown(MqttClient &client, const QByteArray &statusPayload, int flushTimeoutMs,
              QObject *context, std::function<void(bool acknowledged)> done)
{
    client.publish(core::topics::status(client.clientId()), statusPayload, 1, true);
    QPointer<MqttClient> guardedClient(&client);
    whenIdle(client, flushTimeoutMs, context,
             [guardedClient, done = std::move(done)](bool acknowledged) {
                 if (!acknowledged && guardedClient) {
                     qCWarning(lcSim).noquote()
                         << "exiting although the broker has not acknowledged everything ("
                         << guardedClient->counters().pendingPublishes
                         << "messages still queued):" << guardedClient->lastError();
                 }
                 if (guardedClient) {
                     guardedClient->disconnectFromBroker();
                 }
                 done(acknowledged);
             });
}

} // namespace greenpulse::sim
