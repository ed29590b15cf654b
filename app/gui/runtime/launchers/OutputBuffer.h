#pragma once

#include <QByteArray>

namespace greenpulse::app {

// A command's output as the dashboard keeps it: the last `capacity` bytes; what goes out of the
// front is counted (droppedBytes()), so the window can say how much is missing.
class OutputBuffer
{
public:
    static constexpr qsizetype kDefaultCapacity = 256 * 1024;

    explicit OutputBuffer(qsizetype capacity = kDefaultCapacity);

    void append(const QByteArray &bytes);
    const QByteArray &text() const { return m_data; }
    quint64 droppedBytes() const { return m_dropped; }
    quint64 totalBytes() const { return m_total; }
    qsizetype capacity() const { return m_capacity; }

private:
    qsizetype m_capacity;
    QByteArray m_data;
    quint64 m_dropped = 0;
    quint64 m_total = 0;
};

} // namespace greenpulse::app
