#pragma once

// The decoder: topic + payload -> sample, control message or rejection.

#include "protocol/Messages.h"

#include <QByteArrayView>

namespace greenpulse::core {

// Pure function: topic + payload -> sample, control message or rejection. Never throws.
// `receiptNs` is used when the payload carries no timestamp. Per-host topics
// greenpulse/raw/<host>/power and .../flow_temp are accepted; when the payload also names a host
// it must be the topic's (else HostMismatch). Control messages get their origin from the topic
// (ControlOrigin.h). Topics outside the contract (e.g. greenpulse/status/#) give UnknownTopic.
// Well-formed power and flow_temp samples take a fast path (FastDecode_p.h); everything else, and
// every rejection, goes through decodeReference().
Decoded decode(QByteArrayView topic, QByteArrayView payload, TimeNs receiptNs);
// The same contract without the fast path: always a full QJsonDocument parse. decode() gives
// exactly its results; tests and the fuzz target compare the two.
Decoded decodeReference(QByteArrayView topic, QByteArrayView payload, TimeNs receiptNs);

} // namespace greenpulse::core
