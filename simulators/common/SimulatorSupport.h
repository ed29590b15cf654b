#pragma once

// Small helpers shared by the simulator programs.

#include "mqtt/MqttClient.h"

#include <QObject>
#include <QString>
#include <functional>

namespace greenpulse::core {
class Options;
}

namespace greenpulse::sim {

// What a periodic simulator is told on its command line: whose samples, how often, how many.
struct PublishSettings
{
    QString host;
    int intervalMs = 1000;
    qint64 count = 0; // 0: forever
};

// The MQTT options from `options` (client id: --client-id, or "<program>-<host>", e.g.
// greenpulse-host-agent-gpu01, with -2, -3... while another instance of it runs here; stable
// across restarts, see core/options/ClientIds.h), and presence: last will "offline" retained on
// greenpulse/status/<client id>, "online" published retained on every connect.
core::MqttOptions simulatorMqttOptions(const core::Options &options);

// Calls `done(true)` once the client has nothing unacknowledged (MqttClient::isIdle()), or
// `done(false)` after `timeoutMs` (negative: no timeout) or as soon as the client gives up
// (ConnectionState::Error). `done` runs from the event loop, at most once, unless `context` is
// destroyed first.
void whenIdle(core::MqttClient &client, int timeoutMs, QObject *context,
              std::function<void(bool acknowledged)> done);

// Clean shutdown of a program with presence: publishes `statusPayload` retained on its status
// topic (empty: clears the topic), waits up to `flushTimeoutMs` for everything to be acknowledged,
// disconnects and calls `done(acknowledged)`.
void shutDown(core::MqttClient &client, const QByteArray &statusPayload, int flushTimeoutMs,
              QObject *context, std::function<void(bool acknowledged)> done);

// Reads --interval-ms (> 0) and --count (>= 0); prints the problem to stderr and returns false
// when one is invalid.
bool readPublishingOptions(const core::Options &options, int *intervalMs, qint64 *count);

// How long a program stopped by SIGINT/SIGTERM waits for its last messages to be acknowledged.
inline constexpr int kFlushTimeoutMs = 3000;

} // namespace greenpulse::sim
