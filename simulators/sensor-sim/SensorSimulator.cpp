#include "SensorSimulator.h"

#include "mqtt/MqttClient.h"
#include "PublishLoop.h"
#include "Waveforms.h"

namespace greenpulse::sim {

SensorSimulator::SensorSimulator(core::MqttClient &client, Settings settings,
                                 const core::Clock &clock, QObject *parent)
    : QObject(parent), m_client(client), m_settings(std::move(settings)), m_clock(clock),
      m_loop(new PublishLoop(
          client, m_settings.intervalMs, m_settings.count, [this] { publishOne(); }, this))
{
    connect(m_loop, &PublishLoop::finished, this, &SensorSimulator::finished);
}

core::FlowTempSample SensorSimulator::sampleAt(const QString &host, double elapsedSeconds,
                                               core::TimeNs nowNs)
{
    core::FlowTempSample sample;
    sample.host = host;
    sample.flowLpm = core::waveforms::coolingFlowLpm(elapsedSeconds);
    sample.tempC = core::waveforms::coolantTempC(elapsedSeconds);
    sample.timestampNs = nowNs;
    return sample;
}

void SensorSimulator::start()
{
    m_client.connectToBroker();
    m_sinceStart.start();
    m_loop->start();
}

void SensorSimulator::stop()
{
    m_loop->stop();
}

void SensorSimulator::publishOne()
{
    const double elapsed = static_cast<double>(m_sinceStart.nsecsElapsed()) / 1e9;
    core::FlowTempSample sample = sampleAt(m_settings.host, elapsed, m_clock.nowNs());
    sample.seq = m_loop->sequence();
    m_client.publish(core::topics::flowTempForHost(sample.host), core::encode(sample), 1, false);
}

} // namespace greenpulse::sim
