/** Salekit's resources and their operation values (see OperationNames). */
export type SalekitOperations = {
	order: 'create' | 'update';
	product: 'create';
	combo: 'create';
};
