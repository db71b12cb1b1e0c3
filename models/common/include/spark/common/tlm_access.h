// SPDX-License-Identifier: Apache-2.0
// One plain loosely timed access, the way every block here issues them: a fresh generic payload (no byte enables,
// no DMI hint, streaming width = length, response INCOMPLETE), an extension set for the call only when one is
// given, then b_transport. Returns the response status.
#pragma once

#include <cstdint>

#include <systemc>
#include <tlm>

namespace spark {

namespace detail {

inline void prepare_access(tlm::tlm_generic_payload& p, tlm::tlm_command command, std::uint64_t address,
                           unsigned char* data, unsigned length) {
    p.set_command(command);
    p.set_address(address);
    p.set_data_ptr(data);
    p.set_data_length(length);
    p.set_streaming_width(length);
    p.set_byte_enable_ptr(nullptr);
    p.set_byte_enable_length(0);
    p.set_dmi_allowed(false);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

}  // namespace detail

template <typename Socket>
tlm::tlm_response_status tlm_access(Socket& socket, tlm::tlm_command command, std::uint64_t address,
                                    unsigned char* data, unsigned length, sc_core::sc_time& delay) {
    tlm::tlm_generic_payload p;
    detail::prepare_access(p, command, address, data, length);
    socket->b_transport(p, delay);
    return p.get_response_status();
}

template <typename Socket, typename Extension>
tlm::tlm_response_status tlm_access(Socket& socket, tlm::tlm_command command, std::uint64_t address,
                                    unsigned char* data, unsigned length, sc_core::sc_time& delay,
                                    Extension& extension) {
    tlm::tlm_generic_payload p;
    detail::prepare_access(p, command, address, data, length);
    // The extension is the caller's: take it off the payload on every way out, or the payload's destructor would
    // free it should the target throw.
    struct Detach {
        tlm::tlm_generic_payload& p;
        Extension* e;
        ~Detach() { p.clear_extension(e); }
    } detach{p, &extension};
    p.set_extension(&extension);
    socket->b_transport(p, delay);
    return p.get_response_status();
}

// The status's name, for messages ("TLM_ADDRESS_ERROR_RESPONSE").
inline const char* response_name(tlm::tlm_response_status s) {
    switch (s) {
        case tlm::TLM_OK_RESPONSE: return "TLM_OK_RESPONSE";
        case tlm::TLM_INCOMPLETE_RESPONSE: return "TLM_INCOMPLETE_RESPONSE";
        case tlm::TLM_GENERIC_ERROR_RESPONSE: return "TLM_GENERIC_ERROR_RESPONSE";
        case tlm::TLM_ADDRESS_ERROR_RESPONSE: return "TLM_ADDRESS_ERROR_RESPONSE";
        case tlm::TLM_COMMAND_ERROR_RESPONSE: return "TLM_COMMAND_ERROR_RESPONSE";
        case tlm::TLM_BURST_ERROR_RESPONSE: return "TLM_BURST_ERROR_RESPONSE";
        case tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE: return "TLM_BYTE_ENABLE_ERROR_RESPONSE";
    }
    return "an unknown response";
}

// A target that serves every transaction at once: nb_transport_fw's BEGIN_REQ runs `serve` (its b_transport)
// and completes (TLM_COMPLETED, BEGIN_RESP); END_RESP is accepted; any other phase gets an error response.
template <typename Serve>
tlm::tlm_sync_enum complete_at_begin_req(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, Serve serve) {
    if (phase == tlm::BEGIN_REQ) {
        serve();
        phase = tlm::BEGIN_RESP;
    } else if (phase != tlm::END_RESP) {
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    }
    return tlm::TLM_COMPLETED;
}

// The forms of a payload a plain burst target does not take: byte enables, or a streaming width below the
// length. Returns the response status to answer with and why, or TLM_OK_RESPONSE when the form is plain.
inline tlm::tlm_response_status unsupported_form(const tlm::tlm_generic_payload& trans, const char*& why) {
    if (trans.get_byte_enable_ptr() != nullptr) {
        why = "byte enables are not supported";
        return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    }
    if (trans.get_streaming_width() < trans.get_data_length()) {
        why = "a streaming width below the length is not supported";
        return tlm::TLM_BURST_ERROR_RESPONSE;
    }
    return tlm::TLM_OK_RESPONSE;
}

// As tlm_generic_payload::is_response_error(): anything but OK (an INCOMPLETE response too).
inline bool is_error(tlm::tlm_response_status s) { return s != tlm::TLM_OK_RESPONSE; }

}  // namespace spark
