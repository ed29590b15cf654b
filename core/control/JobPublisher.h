#pragma once

#include "base/Clock.h"
#include "mqtt/MqttClient.h"
#include "protocol/ControlOrigin.h"
#include "protocol/Messages.h"

#include <QHash>
#include <QString>
#include <optional>

namespace greenpulse::core {

// Publishes job control messages through an MqttClient:
//  - start: {"status":"start",...} on its control topic (origin(): greenpulse/control,
//    greenpulse/control/<user> or greenpulse/operators/control) at QoS 1, and the same payload
//    retained on greenpulse/state/jobs/<job_id> so a host agent started mid-job learns the job is
//    running;
//  - end: {"status":"end",...} on the same control topic at QoS 1 (with "exit_code" when known),
//  then
//    an empty retained payload on greenpulse/state/jobs/<job_id>, which clears the retained state.
// Publishing never blocks: while disconnected the client queues. Wait for MqttClient::isIdle()
// to know the broker has them.
class JobPublisher
{
public:
    // `clock` gives the timestamps; nullptr: the system clock. It must outlive the publisher.
    explicit JobPublisher(MqttClient &client, const Clock *clock = nullptr);

    // Makes a new job id from `name` (jobid::make) and publishes its start. An empty `host` means
    // the job runs on every host; `gpus` are the devices it holds there (docs/protocol.md, "Job
    // details"). Returns the job id.
    QString start(const QString &name, const QString &host = {}, const QStringList &gpus = {});
    // Publishes the end of a job. The end names the host its start named, if this publisher
    // started it.
    void end(const QString &jobId, std::optional<int> exitCode = std::nullopt);
    // Publishes a control message made elsewhere (a Slurm hook's, with its job details) as
    // start() and end() do; `keepState` false leaves the retained job state alone (a job on
    // several hosts: one host's end must not clear it for the others; docs/slurm.md).
    void publish(const ControlMessage &message, bool keepState = true);

    // The control topic to publish on (ControlOrigin.h): legacy greenpulse/control by default.
    void setOrigin(const ControlOrigin &origin) { m_origin = origin; }
    const ControlOrigin &origin() const { return m_origin; }

private:
    // Publishes the start of a job whose id is already known.
    void startWithId(const QString &jobId, const QString &host, const QStringList &gpus);
    void publish(const QByteArray &topic, const QByteArray &payload, bool retain);

    MqttClient &m_client;
    SystemClock m_systemClock;
    const Clock &m_clock;
    QHash<QString, QString> m_hosts; // job id -> host of the jobs started here and not yet ended
    ControlOrigin m_origin;
};

} // namespace greenpulse::core
