using System.Text;
using Omnichannel.Routing.Api.HttpJson;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Tests.HttpJson;

public sealed class JsonBodyShapeTests
{
    [Theory]
    [InlineData("""{"customerId":"c","channel":"chat","queueId":"q","priority":5}""")]
    [InlineData("""{"customer_id":"c","priority":"5","context":{"order":"A-1"},"preferredAgentWait":"3s"}""")]
    [InlineData("""{"requiredSkills":[{"skill":"english","minimumLevel":5}],"preferredSkills":["billing"],"unknownField":[1]}""")]
    [InlineData("""{"customerId":null,"requiredSkills":null}""")]
    public void A_body_of_the_message_s_shape_passes_whatever_its_values(string json) =>
        Assert.Null(JsonBodyShape.ProblemIn(Encoding.UTF8.GetBytes(json), RouteInteractionRequest.Descriptor));

    [Theory]
    [InlineData("""{"priority":"high"}""", "priority: expects a number, was a string")]
    [InlineData("""{"customerId":42}""", "customer_id: expects a string, was a number")]
    [InlineData("""{"preferLastAgent":"yes"}""", "prefer_last_agent: expects true or false, was a string")]
    [InlineData("""{"requiredSkills":{"skill":"english"}}""", "required_skills: expects a list, was an object")]
    [InlineData("""{"requiredSkills":[{"skill":"english","minimumLevel":[5]}]}""", "required_skills[0].minimum_level: expects a number, was a list")]
    [InlineData("""{"context":{"order":7}}""", "context[order]: expects a string, was a number")]
    [InlineData("""{"context":["order"]}""", "context: expects an object, was a list")]
    [InlineData("""[1]""", "request body: expects a JSON object, was a list")]
    public void A_misshapen_body_names_the_first_field_that_is_wrong(string json, string problem) =>
        Assert.Equal(problem, JsonBodyShape.ProblemIn(Encoding.UTF8.GetBytes(json), RouteInteractionRequest.Descriptor));

    [Fact]
    public void A_body_that_is_not_JSON_is_named_with_where_it_stops_parsing() =>
        Assert.StartsWith(
            "request body: not valid JSON at line 2, byte ",
            JsonBodyShape.ProblemIn(Encoding.UTF8.GetBytes("{\n\"customerId\":"), RouteInteractionRequest.Descriptor),
            StringComparison.Ordinal);

    [Fact]
    public void A_nested_message_of_the_wrong_kind_is_named_with_its_path() =>
        Assert.Equal(
            "queue.service_level: expects an object, was a number",
            JsonBodyShape.ProblemIn(Encoding.UTF8.GetBytes("""{"queue":{"queueId":"q","serviceLevel":80}}"""), UpsertQueueRequest.Descriptor));
}
