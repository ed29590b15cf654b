#include "control/JobPublisher.h"

#include "base/Logging.h"
#include "protocol/JobId.h"
#include "protocol/Protocol.h"

namespace greenpulse::core {

JobPublisher::JobPublisher(MqttClient &client, const Clock *clock)
    : m_client(client), m_clock(clock ? *clock : m_systemClock)
{}

QString JobPublisher::start(const QString &name, const QString &host, const QStringList &gpus)
{
    const QString jobId = jobid::make(name);
    startWithId(jobId, host, gpus);
    return jobId;
}

void JobPublisher::startWithId(const QString &jobId, const QString &host, const QStringList &gpus)
{
    ControlMessage message;
    message.status = JobStatus::Start;
    message.jobId = jobId;
    message.host = host;
    message.gpus = gpus;
    message.timestampNs = m_clock.nowNs();
    const QByteArray payload = encode(message);
    publish(topics::control(m_origin), payload, false);
    publish(topics::jobState(jobId), payload, true);
    m_hosts.insert(jobId, host);
    qCInfo(lcSim).noquote() << "job" << jobId << "started"
                            << (host.isEmpty() ? QStringLiteral("on every host")
                                               : QStringLiteral("on ") + host);
}

void JobPublisher::end(const QString &jobId, std::optional<int> exitCode)
{
    ControlMessage message;
    message.status = JobStatus::End;
    message.jobId = jobId;
    message.host = m_hosts.take(jobId);
    message.timestampNs = m_clock.nowNs();
    message.exitCode = exitCode;
    publish(topics::control(m_origin), encode(message), false);
    publish(topics::jobState(jobId), QByteArray(), true); // empty retained payload: clears it
    if (exitCode) {
        qCInfo(lcSim).noquote() << "job" << jobId << "ended with exit code" << *exitCode;
    } else {
        qCInfo(lcSim).noquote() << "job" << jobId << "ended";
    }
}

void JobPublisher::publish(const ControlMessage &message, bool keepState)
{
    const QByteArray payload = encode(message);
    publish(topics::control(m_origin), payload, false);
    if (keepState) {
        const bool start = message.status == JobStatus::Start;
        publish(topics::jobState(message.jobId), start ? payload : QByteArray(), true);
    }
}

void JobPublisher::publish(const QByteArray &topic, const QByteArray &payload, bool retain)
{
    if (!m_client.publish(topic, payload, 1, retain)) {
        qCWarning(lcSim).noquote()
            << "the MQTT client dropped a message for" << QString::fromUtf8(topic);
    }
}

} // namespace greenpulse::core
