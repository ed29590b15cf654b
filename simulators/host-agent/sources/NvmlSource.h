#pragma once

#include "PowerSource.h"
#include "SysfsFile.h"

#include <memory>
#include <vector>

namespace greenpulse::sim {

struct NvmlApi;

// NVIDIA GPUs (the whole board) through NVML, loaded at run time with dlopen() from
// `libraryPath` (empty: libnvidia-ml.so.1 as the driver installs it); NVIDIA's header is not
// needed. Per device the total energy counter (mJ since the driver loaded, Volta and later) is
// preferred; devices without it give power readings (mW). A counter going back (driver reload)
// is continued and counted as a restart; errors that mean NVML lost its state (uninitialized,
// driver not loaded, GPU lost) make the next read initialise NVML again.
class NvmlSource : public PowerSource
{
public:
    explicit NvmlSource(QString libraryPath);
    ~NvmlSource() override;

    QString name() const override { return QStringLiteral("nvml"); }
    bool open() override;
    QStringList components() const override;
    QList<ComponentReading> read() override;
    QStringList describe() const override;
    QStringList problems() const override;

private:
    struct Device;
    bool loadLibrary();
    bool initAndEnumerate();
    void reinitialise();
    ComponentReading readDevice(Device &device);
    QString errorText(int code) const;

    QString m_libraryPath;
    std::unique_ptr<NvmlApi> m_api;
    void *m_library = nullptr;
    bool m_initialised = false;
    bool m_needsReinit = false;
    std::vector<Device> m_devices;
    QStringList m_lines;
};

} // namespace greenpulse::sim
