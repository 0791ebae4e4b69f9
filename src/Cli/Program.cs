using Sandbox.Cli;

return await SandboxCli.RunAsync(args);
