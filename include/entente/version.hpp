#pragma once
namespace entente {
inline constexpr const char* version = "0.1.0";
}
