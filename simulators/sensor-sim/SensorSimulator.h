#pragma once

#include "base/Clock.h"
#include "protocol/Protocol.h"
#include "SimulatorSupport.h"

#include <QElapsedTimer>
#include <QObject>

namespace greenpulse::core {
class MqttClient;
}

namespace greenpulse::sim {

class PublishLoop;

// Publishes the cooling loop of one host on greenpulse/raw/flow_temp: flow and temperature from
// core::waveforms, `t` being seconds since start(), with the wall-clock timestamp of the sample.
class SensorSimulator : public QObject
{
    Q_OBJECT
public:
    using Settings = PublishSettings;

    SensorSimulator(core::MqttClient &client, Settings settings, const core::Clock &clock,
                    QObject *parent = nullptr);

    // Pure: the sample `elapsedSeconds` after the start, stamped `nowNs`.
    static core::FlowTempSample sampleAt(const QString &host, double elapsedSeconds,
                                         core::TimeNs nowNs);

    void start(); // connects and starts publishing (queued while the broker is unreachable)
    void stop();  // no more samples; finished() follows

signals:
    void finished(); // --count reached and acknowledged, or stop()

private:
    void publishOne();

    core::MqttClient &m_client;
    Settings m_settings;
    const core::Clock &m_clock;
    QElapsedTimer m_sinceStart;
    PublishLoop *m_loop;
};

} // namespace greenpulse::sim
