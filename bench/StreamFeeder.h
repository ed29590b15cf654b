#pragma once

#include "PowerFeed.h"

#include <atomic>
#include <thread>

namespace greenpulse::bench {

// Publishes a PowerFeed at a steady pace from a thread of its own, through `mosquitto_pub -l`
// (QoS 0) fed by a pipe: `roundsPerSecond` rounds (one sample per host each) every second,
// sample timestamps one second apart per host.
class StreamFeeder
{
public:
    StreamFeeder(const PowerFeed &feed, quint16 brokerPort, double roundsPerSecond);
    ~StreamFeeder();

    bool start();
    void stop(); // returns once mosquitto_pub has published everything written
    qint64 sent() const { return m_sent.load(); }

private:
    void loop();

    PowerFeed m_feed;
    quint16 m_port;
    double m_roundsPerSecond;
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_sent{0};
    std::thread m_thread;
};

} // namespace greenpulse::bench
