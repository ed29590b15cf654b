#include "PublishLoop.h"

#include "base/Logging.h"
#include "mqtt/MqttClient.h"
#include "SimulatorSupport.h"

namespace greenpulse::sim {

PublishLoop::PublishLoop(core::MqttClient &client, int intervalMs, qint64 count,
                         std::function<void()> publishOne, QObject *parent)
    : QObject(parent), m_client(client), m_count(count), m_publishOne(std::move(publishOne))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(qMax(1, intervalMs));
    connect(&m_timer, &QTimer::timeout, this, &PublishLoop::tick);
}

void PublishLoop::start()
{
    if (m_done || m_timer.isActive()) {
        return;
    }
    m_timer.start();
    tick();
}

void PublishLoop::stop()
{
    m_timer.stop();
    if (!m_done) {
        m_done = true;
        emit finished();
    }
}

void PublishLoop::tick()
{
    if (m_done) {
        return;
    }
    m_publishOne();
    ++m_published;
    if (m_count > 0 && m_published >= m_count) {
        m_timer.stop();
        qCInfo(lcSim) << "published" << m_published
                      << "messages; waiting for the broker to "
                         "acknowledge them";
        whenIdle(m_client, -1, this, [this](bool) {
            if (!m_done) {
                m_done = true;
                emit finished();
            }
        });
    }
}

} // namespace greenpulse::sim
