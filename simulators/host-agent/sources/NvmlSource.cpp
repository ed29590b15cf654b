#include "NvmlSource.h"

#include "base/Logging.h"

#include <QFile>
#include <algorithm>
#include <dlfcn.h>
#include <type_traits>

namespace greenpulse::sim {

// The few NVML entry points we use, declared from NVIDIA's documented C API (nvml.h is not in
// Debian main). Types: nvmlReturn_t is an int enum, nvmlDevice_t an opaque pointer.
using NvmlReturn = int;
using NvmlDevice = struct NvmlDeviceOpaque *;
constexpr NvmlReturn kNvmlSuccess = 0;
constexpr NvmlReturn kNvmlErrorUninitialized = 1;
constexpr NvmlReturn kNvmlErrorDriverNotLoaded = 9;
constexpr NvmlReturn kNvmlErrorGpuIsLost = 15;
constexpr unsigned kNvmlNameLength = 96; // NVML_DEVICE_NAME_V2_BUFFER_SIZE
constexpr unsigned kNvmlUuidLength = 96; // NVML_DEVICE_UUID_V2_BUFFER_SIZE

struct NvmlApi
{
    NvmlReturn (*init)() = nullptr;                                   // nvmlInit_v2
    NvmlReturn (*shutdown)() = nullptr;                               // nvmlShutdown
    const char *(*errorString)(NvmlReturn) = nullptr;                 // nvmlErrorString
    NvmlReturn (*count)(unsigned *) = nullptr;                        // nvmlDeviceGetCount_v2
    NvmlReturn (*handle)(unsigned, NvmlDevice *) = nullptr;           // ..GetHandleByIndex_v2
    NvmlReturn (*name)(NvmlDevice, char *, unsigned) = nullptr;       // nvmlDeviceGetName
    NvmlReturn (*uuid)(NvmlDevice, char *, unsigned) = nullptr;       // nvmlDeviceGetUUID
    NvmlReturn (*power)(NvmlDevice, unsigned *) = nullptr;            // ..GetPowerUsage (mW)
    NvmlReturn (*energy)(NvmlDevice, unsigned long long *) = nullptr; // ..TotalEnergyConsumption
};

struct NvmlSource::Device
{
    unsigned index = 0;
    NvmlDevice handle = nullptr;
    QString component; // gpu0, gpu1...
    QString model;
    QString uuid;
    bool counter = false;
    bool readable = false;
    QString note;
    EnergyCounter energy{1e-3, 0};
};

NvmlSource::NvmlSource(QString libraryPath)
    : m_libraryPath(std::move(libraryPath)), m_api(std::make_unique<NvmlApi>())
{}

NvmlSource::~NvmlSource()
{
    if (m_initialised && m_api->shutdown) {
        m_api->shutdown();
    }
    if (m_library) {
        dlclose(m_library);
    }
}

QString NvmlSource::errorText(int code) const
{
    const char *text = m_api->errorString ? m_api->errorString(code) : nullptr;
    return text ? QStringLiteral("%1 (%2)").arg(QString::fromUtf8(text)).arg(code)
                : QStringLiteral("NVML error %1").arg(code);
}

bool NvmlSource::loadLibrary()
{
    const QByteArray file = m_libraryPath.isEmpty() ? QByteArray("libnvidia-ml.so.1")
                                                    : QFile::encodeName(m_libraryPath);
    m_library = dlopen(file.constData(), RTLD_NOW | RTLD_LOCAL);
    if (!m_library) {
        m_lines << QStringLiteral("cannot load %1: %2 (no NVIDIA driver here?)")
                       .arg(QString::fromLocal8Bit(file), QString::fromLocal8Bit(dlerror()));
        return false;
    }
    const auto resolve = [this](auto &function, const char *symbol) {
        function =
            reinterpret_cast<std::remove_reference_t<decltype(function)>>(dlsym(m_library, symbol));
        return function != nullptr;
    };
    const bool required = resolve(m_api->init, "nvmlInit_v2") &&
                          resolve(m_api->shutdown, "nvmlShutdown") &&
                          resolve(m_api->errorString, "nvmlErrorString") &&
                          resolve(m_api->count, "nvmlDeviceGetCount_v2") &&
                          resolve(m_api->handle, "nvmlDeviceGetHandleByIndex_v2");
    if (!required) {
        m_lines << QStringLiteral("%1 lacks a required NVML entry point (nvmlInit_v2 and "
                                  "nvmlDeviceGetHandleByIndex_v2 need a driver from 2015 or later)")
                       .arg(QString::fromLocal8Bit(file));
        return false;
    }
    // Optional: skipped when missing.
    resolve(m_api->name, "nvmlDeviceGetName");
    resolve(m_api->uuid, "nvmlDeviceGetUUID");
    resolve(m_api->power, "nvmlDeviceGetPowerUsage");
    resolve(m_api->energy, "nvmlDeviceGetTotalEnergyConsumption");
    return true;
}

bool NvmlSource::open()
{
    m_devices.clear();
    m_lines.clear();
    if (!m_library && !loadLibrary()) {
        return false;
    }
    return initAndEnumerate();
}

bool NvmlSource::initAndEnumerate()
{
    const NvmlReturn init = m_api->init();
    if (init != kNvmlSuccess) {
        m_lines << QStringLiteral("nvmlInit_v2 failed: %1").arg(errorText(init));
        return false;
    }
    m_initialised = true;
    unsigned count = 0;
    if (const NvmlReturn rc = m_api->count(&count); rc != kNvmlSuccess) {
        m_lines << QStringLiteral("nvmlDeviceGetCount_v2 failed: %1").arg(errorText(rc));
        return false;
    }
    if (count == 0) {
        m_lines << QStringLiteral("NVML loaded but reports no GPU");
    }
    for (unsigned i = 0; i < count; ++i) {
        Device d;
        d.index = i;
        d.component = QStringLiteral("gpu%1").arg(i);
        if (const NvmlReturn rc = m_api->handle(i, &d.handle); rc != kNvmlSuccess) {
            d.note = QStringLiteral("NOT READABLE: no handle: %1").arg(errorText(rc));
        } else {
            char text[kNvmlUuidLength > kNvmlNameLength ? kNvmlUuidLength : kNvmlNameLength] = {};
            if (m_api->name && m_api->name(d.handle, text, kNvmlNameLength) == kNvmlSuccess) {
                d.model = QString::fromUtf8(text);
            }
            if (m_api->uuid && m_api->uuid(d.handle, text, kNvmlUuidLength) == kNvmlSuccess) {
                d.uuid = QString::fromUtf8(text);
            }
            unsigned long long mJ = 0;
            unsigned mW = 0;
            const NvmlReturn energyRc = m_api->energy ? m_api->energy(d.handle, &mJ) : -1;
            if (energyRc == kNvmlSuccess) {
                d.counter = d.readable = true;
                d.energy.feed(mJ);
                d.note = QStringLiteral("energy counter (mJ), summed");
            } else if (m_api->power && m_api->power(d.handle, &mW) == kNvmlSuccess) {
                d.readable = true;
                d.note = QStringLiteral("no energy counter (%1): power readings (mW), summed")
                             .arg(energyRc < 0 ? QStringLiteral("entry point missing")
                                               : errorText(energyRc));
            } else {
                d.note = QStringLiteral("NOT READABLE: neither energy nor power");
            }
        }
        m_lines << QStringLiteral("%1 %2 %3: %4").arg(d.component, d.model, d.uuid, d.note);
        m_devices.push_back(std::move(d));
    }
    return std::any_of(m_devices.begin(), m_devices.end(),
                       [](const Device &d) { return d.readable; });
}

void NvmlSource::reinitialise()
{
    m_needsReinit = false;
    if (m_initialised) {
        m_api->shutdown();
        m_initialised = false;
    }
    if (m_api->init() != kNvmlSuccess) {
        m_needsReinit = true;
        return;
    }
    m_initialised = true;
    for (Device &d : m_devices) {
        NvmlDevice handle = nullptr;
        if (m_api->handle(d.index, &handle) == kNvmlSuccess) {
            d.handle = handle;
        }
    }
    qCInfo(lcSim) << "nvml: initialised again";
}

ComponentReading NvmlSource::readDevice(Device &d)
{
    ComponentReading r;
    r.name = d.component;
    r.uuid = d.uuid; // so a job naming its GPU by id (CUDA_VISIBLE_DEVICES) finds it
    NvmlReturn rc = kNvmlSuccess;
    const quint64 resetsBefore = d.energy.resets();
    if (d.counter) {
        unsigned long long mJ = 0;
        rc = m_api->energy(d.handle, &mJ);
        if (rc == kNvmlSuccess) {
            d.energy.feed(mJ);
        }
        r.energyJ = d.energy.joules();
        r.resets = d.energy.resets();
    }
    // Power-only devices, and a counter that started again (its interval is not all counted).
    if (rc == kNvmlSuccess && (!d.counter || r.resets != resetsBefore)) {
        unsigned mW = 0;
        const NvmlReturn powerRc = m_api->power ? m_api->power(d.handle, &mW) : -1;
        if (powerRc == kNvmlSuccess) {
            r.watts = mW * 1e-3;
        } else if (!d.counter) {
            rc = powerRc;
        }
    }
    if (rc != kNvmlSuccess) {
        r.error = rc < 0 ? QStringLiteral("entry point missing") : errorText(rc);
        m_needsReinit = m_needsReinit || rc == kNvmlErrorUninitialized ||
                        rc == kNvmlErrorDriverNotLoaded || rc == kNvmlErrorGpuIsLost;
    }
    return r;
}

QStringList NvmlSource::components() const
{
    QStringList names;
    for (const Device &d : m_devices) {
        if (d.readable) {
            names << d.component;
        }
    }
    return names;
}

QList<ComponentReading> NvmlSource::read()
{
    if (m_needsReinit) {
        reinitialise();
    }
    QList<ComponentReading> readings;
    for (Device &d : m_devices) {
        if (d.readable) {
            readings << readDevice(d);
        }
    }
    return readings;
}

QStringList NvmlSource::describe() const
{
    return m_lines;
}

QStringList NvmlSource::problems() const
{
    QStringList lines;
    for (const Device &d : m_devices) {
        if (!d.readable) {
            lines << QStringLiteral("nvml %1: %2").arg(d.component, d.note);
        }
    }
    return lines;
}

} // namespace greenpulse::sim
