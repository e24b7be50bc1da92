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
#include <bloop/column.hpp>
#include <bloop/datetime.hpp>
#include <bloop/decimal.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/index.hpp>
#include <bloop/json.hpp>
#include <bloop/meta.hpp>
#include <bloop/model.hpp>
#include <bloop/model_info.hpp>
#include <bloop/object_state.hpp>
#include <bloop/type_traits.hpp>
#include <bloop/uuid.hpp>
