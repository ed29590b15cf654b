#pragma once

#include <QObject>
#include <QTimer>
#include <functional>

namespace greenpulse::core {
class MqttClient;
}

namespace greenpulse::sim {

// The clock of a periodic publisher: calls `publishOne` every `intervalMs` (the first call at
// start()). With a `count` > 0 it stops after that many messages and reports finished() once the
// broker has acknowledged all of them, however long an outage lasts. stop() (SIGINT/SIGTERM)
// ends at once; the caller flushes.
class PublishLoop : public QObject
{
    Q_OBJECT
public:
    PublishLoop(core::MqttClient &client, int intervalMs, qint64 count,
                std::function<void()> publishOne, QObject *parent = nullptr);

    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    qint64 published() const { return m_published; }
    // The "seq" of the message publishOne is publishing: 1, 2, 3... per loop (per publisher and
    // topic kind), so the processor sees what the broker dropped (docs/protocol.md).
    quint64 sequence() const { return static_cast<quint64>(m_published) + 1; }
    int intervalMs() const { return m_timer.interval(); }

signals:
    void finished();

private:
    void tick();

    core::MqttClient &m_client;
    qint64 m_count;
    std::function<void()> m_publishOne;
    QTimer m_timer;
    qint64 m_published = 0;
    bool m_done = false;
};

} // namespace greenpulse::sim
