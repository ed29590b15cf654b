#include "runtime/launchers/OutputBuffer.h"

#include <QtGlobal>

namespace greenpulse::app {

OutputBuffer::OutputBuffer(qsizetype capacity) : m_capacity(qMax<qsizetype>(1, capacity)) {}

void OutputBuffer::append(const QByteArray &bytes)
{
    m_total += static_cast<quint64>(bytes.size());
    if (bytes.size() >= m_capacity) {
        m_dropped += static_cast<quint64>(m_data.size() + bytes.size() - m_capacity);
        m_data = bytes.right(m_capacity);
        return;
    }
    m_data.append(bytes);
    const qsizetype excess = m_data.size() - m_capacity;
    if (excess > 0) {
        m_data.remove(0, excess);
        m_dropped += static_cast<quint64>(excess);
    }
}

} // namespace greenpulse::app
