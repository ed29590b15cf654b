#pragma once

// The encoders of the wire contract, used by every publisher (agents, job tool, dashboard).

#include "protocol/Messages.h"

#include <QByteArray>

namespace greenpulse::core {

// Encoders: compact JSON in the contract's shape. Timestamps are written as fractional seconds
// (as the Python publishers did) with microsecond resolution; an empty jobId is written as null.
QByteArray encode(const PowerSample &sample);
QByteArray encode(const FlowTempSample &sample);
QByteArray encode(const ControlMessage &message);
// The zone is the topic's (topics::gridCarbonIntensity), not written in the payload.
QByteArray encode(const GridIntensity &intensity);

} // namespace greenpulse::core
