using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Sandbox.Client;

/// <summary>Registers <see cref="SandboxClient"/> with Grpc.Net.ClientFactory.</summary>
public static class SandboxClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SandboxClient"/> as a typed gRPC client whose calls go through an
    /// <c>HttpClientFactory</c>-managed channel to <paramref name="address"/>, with the API key,
    /// default timeout and CA file of <paramref name="configure"/>. Returns the factory's builder,
    /// for interceptors and handler settings.
    /// </summary>
    public static IHttpClientBuilder AddSandboxClient(this IServiceCollection services, Uri address, Action<SandboxClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(address);
        var options = services.AddOptions<SandboxClientOptions>();
        if (configure is not null) options.Configure(configure);
        return services.AddGrpcClient<SandboxClient>((provider, factory) =>
            {
                var settings = provider.GetRequiredService<IOptions<SandboxClientOptions>>().Value;
                factory.Address = address;
                factory.Creator = invoker => new SandboxClient(invoker, address, settings);
            })
            .ConfigurePrimaryHttpMessageHandler(provider => SandboxChannel.Handler(provider.GetRequiredService<IOptions<SandboxClientOptions>>().Value.CaCertificatePath));
    }
}
