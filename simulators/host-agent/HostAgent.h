#pragma once

#include "JobTracker.h"
#include "SimulatorSupport.h"
#include "base/Clock.h"
#include "base/LogThrottle.h"
#include "options/OptionSpec.h"
#include "protocol/Protocol.h"
#include "sources/SimSource.h"

#include <QObject>
#include <QTimer>
#include <memory>
#include <optional>

class QRandomGenerator;

namespace greenpulse::core {
class MqttClient;
}

namespace greenpulse::sim {

class PowerMeter;
class PublishLoop;

// The power meter of one host: every interval a greenpulse/raw/power sample carrying the current
// job's id (null when idle). Its watts come from a PowerMeter over the real sources (RAPL,
// hwmon, NVML: see sources/), or are simulated: uniformly random in 95-105 W while no job runs on
// the host and 350-500 W while one does (SimSource). Job state comes from greenpulse/control and
// the retained greenpulse/state/jobs/# (see JobTracker), so an agent started mid-job knows the job
// runs.
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
        // The grid zone the host draws from ("zone" in every sample; --zone); empty: not sent.
        QString zone;
    };

    // --zone, and why a zone cannot be sent (the wire contract's rule for a zone code, as the
    // processor's decoder applies it); nullopt when it can.
    static core::OptionSpec zoneOptionSpec();
    static std::optional<QString> zoneProblem(const QString &host, const QString &zone);

    static constexpr double kIdleMinW = SimSource::kIdleMinW;
    static constexpr double kIdleMaxW = SimSource::kIdleMaxW;
    static constexpr double kBusyMinW = SimSource::kBusyMinW;
    static constexpr double kBusyMaxW = SimSource::kBusyMaxW;

    // Simulated power (SimSource), following the jobs this host runs.
    HostAgent(core::MqttClient &client, Settings settings, QRandomGenerator &random,
              const core::Clock &clock, QObject *parent = nullptr);
    // Measured power: the sum of `meter`'s sources (it must outlive the agent).
    HostAgent(core::MqttClient &client, Settings settings, PowerMeter &meter,
              const core::Clock &clock, QObject *parent = nullptr);
    ~HostAgent() override;

    // The sample for the tracker's current state.
    core::PowerSample sample(core::TimeNs nowNs);

    void start(); // subscribes, connects, and starts publishing once the job state is known
    void stop();  // no more samples; finished() follows

    const JobTracker &tracker() const { return m_tracker; }

signals:
    void finished(); // --count reached and acknowledged, or stop()

private:
    HostAgent(core::MqttClient &client, Settings settings, PowerMeter *meter,
              const core::Clock &clock, QObject *parent);
    void onMessage(const QByteArray &topic, const QByteArray &payload);
    void publishOne();
    void beginPublishing();

    core::MqttClient &m_client;
    Settings m_settings;
    const core::Clock &m_clock;
    JobTracker m_tracker;
    std::unique_ptr<PowerMeter> m_ownMeter; // the simulated one
    PowerMeter *m_meter;
    core::LogThrottle m_readErrorLog{60000};
    PublishLoop *m_loop;
    QTimer m_graceTimer;
    bool m_stopped = false;
};

} // namespace greenpulse::sim
