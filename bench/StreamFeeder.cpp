#include "StreamFeeder.h"

#include "Sys.h"

#include <chrono>
#include <cstdio>

namespace greenpulse::bench {

StreamFeeder::StreamFeeder(const PowerFeed &feed, quint16 brokerPort, double roundsPerSecond)
    : m_feed(feed), m_port(brokerPort), m_roundsPerSecond(roundsPerSecond)
{}

StreamFeeder::~StreamFeeder()
{
    stop();
}

bool StreamFeeder::start()
{
    if (sys::findProgram(QStringLiteral("mosquitto_pub")).isEmpty()) {
        return false;
    }
    m_thread = std::thread([this] { loop(); });
    return true;
}

void StreamFeeder::stop()
{
    m_stop = true;
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void StreamFeeder::loop()
{
    const QByteArray command = sys::findProgram(QStringLiteral("mosquitto_pub")).toLocal8Bit() +
                               " -h 127.0.0.1 -p " + QByteArray::number(m_port) + " -t " +
                               PowerFeed::topic() + " -q 0 -l";
    FILE *pipe = ::popen(command.constData(), "w");
    if (!pipe) {
        return;
    }
    using Clock = std::chrono::steady_clock;
    const auto begin = Clock::now();
    qint64 round = 0;
    while (!m_stop) {
        QByteArray chunk;
        for (int h = 0; h < m_feed.hosts(); ++h) {
            chunk += m_feed.payload(h, round);
            chunk += '\n';
        }
        std::fwrite(chunk.constData(), 1, static_cast<size_t>(chunk.size()), pipe);
        std::fflush(pipe);
        m_sent += m_feed.hosts();
        ++round;
        const auto due = begin + std::chrono::microseconds(static_cast<qint64>(
                                     static_cast<double>(round) * 1e6 / m_roundsPerSecond));
        while (!m_stop && Clock::now() < due) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    ::pclose(pipe); // mosquitto_pub publishes what is left and exits at end of input
}

} // namespace greenpulse::bench
