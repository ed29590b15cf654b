#pragma once

// The fast path of decode(): a hand-written reader for the common, well-formed power and
// flow_temp payloads (what every GreenPulse and Python publisher sends), about ten times cheaper
// than a QJsonDocument parse. It only ever *accepts*: whenever anything is unusual (a rejection
// to explain, escapes or non-ASCII in a string, an unknown or repeated key, an exponent, a
// literal other than null, ...) it returns nullopt and decode() runs the full QJsonDocument
// decoder (decodeReference()), so every result, accepted or rejected, is the reference's.
// tests/test_fastdecode.cpp and fuzz/fuzz_decode.cpp check fast == reference.

#include "protocol/Messages.h"
#include "protocol/Topics.h"

#include <optional>

namespace greenpulse::core {

// `kind` is Power or FlowTemp (anything else: nullopt); `topicHost` is the <host> level of a
// per-host topic (empty for the shared topics); the payload is at most kMaxPayloadBytes.
std::optional<Decoded> fastDecode(TopicKind kind, QByteArrayView topicHost, QByteArrayView payload,
                                  TimeNs receiptNs);

// True when two decode results are identical: same kind, same fields (doubles bit for bit, so
// -0.0 differs from 0.0), same rejection reason and detail. For the fast == reference checks.
bool sameDecoded(const Decoded &a, const Decoded &b);

} // namespace greenpulse::core
