#pragma once

#include "base/Clock.h"
#include "JobTracker.h"
#include "protocol/Protocol.h"
#include "SimulatorSupport.h"

#include <QObject>
#include <QTimer>

class QRandomGenerator;

namespace greenpulse::core {
class MqttClient;
}

namespace greenpulse::sim {

class PublishLoop;

// Simulates the power meter of one host: every interval a greenpulse/raw/power sample, uniformly
// random in 95-105 W while no job runs on the host and 350-500 W while one does, carrying the
// current job's id (null when idle). Job state comes from greenpulse/control and the retained
// greenpulse/state/jobs/# (see JobTracker), so an agent started mid-job knows the job runs.
class HostAgent : public QObject
{
    Q_OBJECT
public:
    struct Settings : PublishSettings
    {
        // After the first connection, how long to let the retained job state arrive before the
        // first sample; without a connection, how long to wait before publishing anyway (queued).
        int retainedGraceMs = 500;
        int connectGraceMs = 5000;
    };

    static constexpr double kIdleMinW = 95.0;
    static constexpr double kIdleMaxW = 105.0;
    static constexpr double kBusyMinW = 350.0;
    static constexpr double kBusyMaxW = 500.0;

    HostAgent(core::MqttClient &client, Settings settings, QRandomGenerator &random,
              const core::Clock &clock, QObject *parent = nullptr);

    // The sample for the tracker's current state.
    core::PowerSample sample(core::TimeNs nowNs);

    void start(); // subscribes, connects, and starts publishing once the job state is known
    void stop();  // no more samples; finished() follows

    const JobTracker &tracker() const { return m_tracker; }

signals:
    void finished(); // --count reached and acknowledged, or stop()

private:
    void onMessage(const QByteArray &topic, const QByteArray &payload);
    void publishOne();
    void beginPublishing();

    core::MqttClient &m_client;
    Settings m_settings;
    QRandomGenerator &m_random;
    const core::Clock &m_clock;
    JobTracker m_tracker;
    PublishLoop *m_loop;
    QTimer m_graceTimer;
    bool m_stopped = false;
};

} // namespace greenpulse::sim
