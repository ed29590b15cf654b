#include "protocol/Encode.h"

#include "protocol/JsonWriter_p.h"

namespace greenpulse::core {

QByteArray encode(const PowerSample &sample)
{
    JsonWriter writer;
    writer.string("host", sample.host)
        .number("watts", sample.watts)
        .stringOrNull("job_id", sample.jobId)
        .timestamp("timestamp", sample.timestampNs);
    if (sample.seq)
        writer.raw("seq", QByteArray::number(*sample.seq));
    return writer.finish();
}

QByteArray encode(const FlowTempSample &sample)
{
    JsonWriter writer;
    writer.string("host", sample.host)
        .number("flow_lpm", sample.flowLpm)
        .number("temp_c", sample.tempC)
        .timestamp("timestamp", sample.timestampNs);
    if (sample.seq)
        writer.raw("seq", QByteArray::number(*sample.seq));
    return writer.finish();
}

QByteArray encode(const ControlMessage &message)
{
    JsonWriter writer;
    writer.raw("status", message.status == JobStatus::Start ? "\"start\"" : "\"end\"")
        .stringOrNull("job_id", message.jobId)
        .timestamp("timestamp", message.timestampNs);
    if (!message.host.isEmpty())
        writer.string("host", message.host);
    if (message.exitCode)
        writer.raw("exit_code", QByteArray::number(*message.exitCode));
    return writer.finish();
}

} // namespace greenpulse::core
