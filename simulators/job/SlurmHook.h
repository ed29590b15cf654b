#pragma once

#include "ControlSpool.h"
#include "SlurmJob.h"

#include <QObject>
#include <QProcessEnvironment>
#include <QString>

namespace greenpulse::core {
class JobPublisher;
class MqttClient;
} // namespace greenpulse::core

namespace greenpulse::sim {

// Where undelivered messages wait (--slurm-spool), and how long a hook waits for the broker when
// --timeout-s is not given: a Prolog delays the job, so briefly.
inline constexpr const char *kDefaultSlurmSpool = "/var/spool/greenpulse/slurm";
inline constexpr int kSlurmWaitS = 5;
// How long `scontrol show job` may take before the hook goes on without it.
inline constexpr int kScontrolTimeoutMs = 5000;

// `greenpulse-job slurm-prolog` / `slurm-epilog` (docs/slurm.md): publishes the start or the end
// of the Slurm job it runs for, on this node, with the job's details. It never fails the Prolog or
// Epilog and never waits long: first it sends what earlier runs left in the spool folder, then its
// own message; what the broker has not acknowledged within the wait goes to the spool folder, and
// it reports finished(0) in every case, with one clear line on stderr when something went wrong.
class SlurmHook : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Prolog, Epilog };
    struct Settings
    {
        QString spoolDir = QLatin1String(kDefaultSlurmSpool);
        int waitMs = kSlurmWaitS * 1000;
        QString host;      // empty: SLURMD_NODENAME
        QString scontrol;  // path of scontrol (--scontrol); empty: do not ask
        QString brokerUrl; // for the log line (redacted)
    };

    SlurmHook(core::MqttClient &client, core::JobPublisher &publisher, Settings settings,
              QObject *parent = nullptr);

    void run(Kind kind, const QProcessEnvironment &env);

signals:
    void finished(int exitCode); // always 0: a hook never fails the job

private:
    void askScontrol(SlurmJob *job) const;
    void finishSoon();
    void send(const core::ControlMessage &message, bool keepState);

    core::MqttClient &m_client;
    core::JobPublisher &m_publisher;
    Settings m_settings;
    ControlSpool m_spool;
    QString m_program;
};

} // namespace greenpulse::sim
