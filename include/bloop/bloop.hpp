#pragma once
/// \file
/// Everything of bloop for C++ in one include.

#include <bloop/attribute_value.hpp>
#include <bloop/client/client.hpp>
#include <bloop/client/credentials.hpp>
#include <bloop/client/endpoint.hpp>
#include <bloop/client/environment.hpp>
#include <bloop/client/http.hpp>
#include <bloop/client/log.hpp>
#include <bloop/client/operation.hpp>
#include <bloop/client/retry.hpp>
#include <bloop/client/sigv4.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/json.hpp>
